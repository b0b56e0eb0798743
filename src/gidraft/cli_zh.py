"""Chinese for the command-line framework's own words (usage lines, help sections, usage errors).

Typer ships its own copy of Click whose messages are plain English f-strings (not gettext), so they are
translated where they are shown: the help formatter's prefixes and section titles, the help option's text,
and the text of a usage error, matched against the framework's message shapes below. A message of a shape
not listed is shown as it is (still with the Chinese frame), never lost.
"""

from __future__ import annotations

import re

WORDS = {  # typer.core looks these up through gettext at the moment it formats help
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Aborted!": "已中止。",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
}

MESSAGES = [  # (English shape, Chinese); applied in order to the whole message
    (r"Missing argument '([^'.]+)(?:\.\.\.)?'\.?", r"缺少参数“\1”。"),
    (r"Missing option '([^']+)'\.?", r"缺少选项 \1。"),
    (r"Missing parameter:? '?([^'.]+)'?\.?", r"缺少参数 \1。"),
    (r"No such option: (\S+?)\s*\(Possible options: (.+)\)$", r"没有选项 \1。相近的选项：\2"),
    (r"No such option: (\S+)$", r"没有选项 \1。"),
    (r"Did you mean (.+)\?$", r"你是指 \1 吗？"),
    (r"No such command '([^']+)'\.", r"没有命令 \1。"),
    (r"Got unexpected extra arguments? \((.+)\)", r"多余的参数：\1。"),
    (r"Option '([^']+)' requires an argument\.", r"选项 \1 需要一个值。"),
    (r"Option '([^']+)' requires (\d+) arguments\.", r"选项 \1 需要 \2 个值。"),
    (r"Option '([^']+)' does not take a value\.", r"选项 \1 不带值。"),
    (r"Invalid value for (.+?): (.+)", r"\1 的值无效：\2"),
    (r"Invalid value: (.+)", r"值无效：\1"),
    (r"'([^']*)' is not one of (.+)\.", r"“\1”不是可选值之一（可选：\2）。"),
    (r"'([^']*)' is not a valid (integer|float)( range)?\.", r"“\1”不是有效的数字。"),
    (r"(.+) is not in the range (.+)\.", r"\1 超出范围 \2。"),
    (r"'([^']*)' is not a valid boolean\..*", r"“\1”不是有效的是非值。"),
    (r"Missing command\.", "缺少命令。"),
]


def translate(message: str) -> str:
    """The Chinese of one framework message; the parts of a compound message are translated in turn."""
    for pattern, chinese in MESSAGES:  # re caches the compiled patterns: nothing is compiled at import
        message = re.sub(pattern, chinese, message)
    message = re.sub(r"'([^'\s]*)'", r"\1", message).replace(", ", "、").replace(" / ", "、")
    return message.replace(". 你是指", "。你是指").replace("。。", "。")


def _gettext(message: str) -> str:
    return WORDS.get(message, message)


def install() -> None:
    """Put the Chinese words into the framework: idempotent, done when ``gidraft.cli`` is imported."""
    import typer.core
    from typer._click import core, exceptions, formatting
    from typer._click.utils import echo

    typer.core._ = _gettext
    if getattr(formatting.HelpFormatter.write_usage, "_gidraft", False):
        return
    write_usage = formatting.HelpFormatter.write_usage

    def write_usage_zh(self, prog, args="", prefix=None):
        args = args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")
        write_usage(self, prog, args, "用法：" if prefix is None else prefix)

    write_usage_zh._gidraft = True
    formatting.HelpFormatter.write_usage = write_usage_zh
    formatting.HelpFormatter.write_heading = lambda self, heading: self.write(f"{'':>{self.current_indent}}{heading}：\n")

    get_help_option = core.Command.get_help_option

    def get_help_option_zh(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option

    core.Command.get_help_option = get_help_option_zh

    def show_click(self, file=None):
        echo(f"gidraft: 错误：{translate(self.format_message())}", file=file or exceptions.get_text_stderr())

    def show_usage(self, file=None):
        file = file or exceptions.get_text_stderr()
        if self.ctx is not None:
            hint = f"用 {self.ctx.command_path} -h 查看帮助。"
            echo(f"{self.ctx.get_usage()}\n{hint}\n", file=file, color=self.ctx.color)
        echo(f"gidraft: 错误：{translate(self.format_message())}", file=file)

    exceptions.ClickException.show = show_click
    exceptions.UsageError.show = show_usage

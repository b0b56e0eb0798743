"""`gidraft serve`: the workbench, a local web app for uploading, reviewing and downloading reports."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..cli import _fail, app

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def default_data() -> Path:
    """The per-user data folder (XDG rules on Linux: ~/.local/share/gidraft)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("gidraft", appauthor=False))


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只允许本机访问；改为其他地址会让局域网内的人也能访问）"),
    port: int = typer.Option(8765, "--port", help="端口"),
    data: Optional[Path] = typer.Option(None, "--data", help="数据目录：报告、问题和审阅结论保存在其中的 SQLite 数据库（默认为用户数据目录）"),
    open_browser: bool = typer.Option(False, "--open", help="启动后在浏览器中打开工作台"),
    max_size: int = typer.Option(50, "--max-size", help="每个上传文件的大小上限（MB）"),
    max_files: int = typer.Option(100, "--max-files", help="一次最多上传的文件数"),
) -> None:
    """启动年报工作台（本机网页）：上传年报、按表格和全文审阅问题、逐条确认或忽略，下载批注稿、修订稿、基线文件和问题清单。"""
    import uvicorn

    from ..serve.app import Limits, create_app

    folder = data or default_data()
    if not 0 <= port <= 65535:
        _fail(f"端口 {port} 无效（应为 0–65535）")
    try:
        web = create_app(folder, Limits(max_size * 1024 * 1024, max_files),
                         hosts=None if host in LOOPBACK else ["*"])
    except (OSError, RuntimeError) as exc:
        _fail(f"{folder}: 无法打开数据目录：{exc}")
    listening = bound(host, port)
    port = listening.getsockname()[1]  # --port 0: the port the system chose
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    typer.echo(f"gidraft 工作台：{address}（数据目录 {folder}；按 Ctrl+C 停止）", err=True)
    if host not in LOOPBACK:
        typer.echo(f"gidraft: 注意：监听 {host}，同一网络中的其他计算机也能访问此工作台", err=True)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, (address,)).start()
    config = uvicorn.Config(web, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[listening])


def bound(host: str, port: int):
    """A socket bound to host:port, so that a port in use is told in Chinese before anything starts."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as exc:
        listening.close()
        _fail(f"无法在 {host}:{port} 上监听：{exc.strerror or exc}（端口可能已被占用，可用 --port 换一个）")
    return listening

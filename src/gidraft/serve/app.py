"""The web app of `gidraft serve` (Starlette, served by uvicorn).

Pages: the dashboard (``/``), a report's review page (``/reports/{id}``) and its print view.  The API under
``/api`` uploads, lists, deletes and decides; downloads under ``/reports/{id}/download/…``.  Every page
is rendered by jinja2 with autoescaping; scripts and styles are files of this package (Content-Security-Policy
``script-src 'self'``, nothing from elsewhere).  Requests that change something must carry the header
``X-Gidraft: 1``, which a page of another site cannot send without the CORS permission this app never gives.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..output.html import blocks_of, json_script, marks_of, spots_of
from ..output.tableview import table_views, terms
from ..report.layout import format_name
from ..severity import SEVERITIES, SEVERITY_ZH
from .workbench import UploadError, Workbench

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "output"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
FAMILIES = {"S": "结构与格式", "T": "表格", "L": "文字与标点", "N": "正文与表格一致", "X": "跨年度", "D": "起草标记"}
DECISION_ZH = {"accepted": "已确认", "dismissed": "已忽略", "": "未处理"}
MB = 1024 * 1024


def family(code: str) -> str:
    return FAMILIES.get(code[:1], "其他")


class Limits:
    def __init__(self, max_bytes: int = 50 * MB, max_files: int = 100, max_reports: int = 2000) -> None:
        self.max_bytes, self.max_files, self.max_reports = max_bytes, max_files, max_reports


def create_app(data: Path, limits: Limits | None = None, hosts: list[str] | None = None) -> Starlette:
    bench = Workbench(Path(data))
    limits = limits or Limits()
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([HERE / "templates", OUTPUT]), autoescape=True, trim_blocks=True,
        lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    environment.globals.update(severity_zh=SEVERITY_ZH, severities=SEVERITIES, version=__version__,
                               decision_zh=DECISION_ZH, families=FAMILIES, format_name=format_name)

    def page(name: str, code: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(environment.get_template(name).render(**context), status_code=code)

    def stored_or_404(request: Request) -> tuple[int, dict]:
        report_id = request.path_params["report_id"]
        stored = bench.store.report(report_id)
        if stored is None:
            raise HTTPException(404, "没有这份报告（可能已被删除）")
        return report_id, stored

    def guarded(request: Request) -> None:
        if request.headers.get("x-gidraft") != "1":
            raise HTTPException(403, "请求缺少 X-Gidraft 头（只接受本应用页面发出的修改）")

    # ---- pages
    async def dashboard(request: Request) -> HTMLResponse:
        reports = bench.store.reports()
        return page("dashboard.html.j2", reports=reports, totals=totals(reports), limits=limits,
                    charts=Markup(json_script(await run_in_threadpool(charts, reports))))

    def charts(reports: list[dict]) -> dict:
        by_family: Counter = Counter()
        by_code: Counter = Counter()
        messages: dict[str, str] = {}
        for report in reports:
            for f in bench.store.findings(report["id"]):
                by_family[family(f["code"])] += 1
                by_code[f["code"]] += 1
                messages.setdefault(f["code"], f["message"])
        errors = Counter(min(r["errors"], 10) for r in reports if not r["error"])
        return {
            "families": [[name, by_family[name]] for name in [*FAMILIES.values(), "其他"] if by_family[name]],
            "errors": [["10+" if n == 10 else str(n), errors[n]] for n in range(11) if errors[n]],
            "common": [[code, count, messages[code][:40]] for code, count in by_code.most_common(10)],
        }

    def review_context(report_id: int, stored: dict) -> dict:
        findings = bench.store.findings(report_id)
        context = {"stored": stored, "findings": findings, "blocks": [], "tables": [],
                   "by_id": {}, "codes": sorted(Counter(f["code"] for f in findings).items()),
                   "counts": Counter(f["severity"] for f in findings)}
        result = bench.result(report_id)
        if result is None:
            return context
        ids = [f"f{f['seq']}" for f in findings]
        report = result.report
        for f, id_ in zip(findings, ids):
            f["id"], f["family"], f["terms"] = id_, family(f["code"]), terms(report, f["evidence"])
        spans = [(f["start"], f["end"], f["related"]) for f in findings]
        severity = {id_: f["severity"] for f, id_ in zip(findings, ids)}
        context.update(
            blocks=blocks_of(report, marks_of(report.text, spans, ids), severity),
            tables=table_views(report, spots_of(spans, ids), severity),
            by_id=dict(zip(ids, findings)),
            word=stored["kind"] == "docx",
        )
        return context

    async def review(request: Request) -> HTMLResponse:
        report_id, stored = stored_or_404(request)
        context = await run_in_threadpool(review_context, report_id, stored)
        return page("report.html.j2", **{"word": False, **context})

    async def print_view(request: Request) -> HTMLResponse:
        report_id, stored = stored_or_404(request)
        context = await run_in_threadpool(review_context, report_id, stored)
        return page("print.html.j2", **{"word": False, **context})

    # ---- API
    async def list_reports(request: Request) -> JSONResponse:
        reports = bench.store.reports()
        return JSONResponse({"reports": reports, "summary": totals(reports)})

    async def upload(request: Request) -> JSONResponse:
        guarded(request)
        length = int(request.headers.get("content-length") or 0)
        if length > limits.max_bytes * min(limits.max_files, 4) + MB:
            raise HTTPException(413, f"上传内容过大（上限每个文件 {limits.max_bytes // MB} MB）")
        try:
            form = await request.form(max_files=limits.max_files, max_fields=limits.max_files + 10,
                                      max_part_size=limits.max_bytes)
        except HTTPException as exc:
            raise HTTPException(413 if "size" in str(exc.detail).lower() else 400,
                                f"无法接收上传：{exc.detail}（每次最多 {limits.max_files} 个文件，每个不超过 {limits.max_bytes // MB} MB）") from exc
        files = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
        if not files:
            raise HTTPException(400, "没有收到文件（表单字段 files）")
        if len(bench.store.reports()) + len(files) > limits.max_reports:
            raise HTTPException(409, f"已有报告过多（上限 {limits.max_reports} 份），请先删除一些")
        out = []
        for item in files:
            content = await item.read(limits.max_bytes + 1)
            await item.close()
            name = item.filename or "未命名"
            if len(content) > limits.max_bytes:
                out.append({"name": name, "id": None, "error": f"文件过大（上限 {limits.max_bytes // MB} MB）"})
                continue
            try:
                report_id = await run_in_threadpool(bench.add, name, content)
            except UploadError as exc:
                out.append({"name": name, "id": None, "error": str(exc)})
                continue
            row = next(r for r in bench.store.reports() if r["id"] == report_id)
            out.append({"name": row["name"], "id": report_id, "error": row["error"],
                        "errors": row["errors"], "warnings": row["warnings"], "infos": row["infos"]})
        return JSONResponse({"files": out})

    async def delete_report(request: Request) -> JSONResponse:
        guarded(request)
        report_id, _ = stored_or_404(request)
        await run_in_threadpool(bench.delete, report_id)
        return JSONResponse({"deleted": report_id})

    async def findings_of(request: Request) -> JSONResponse:
        report_id, _ = stored_or_404(request)
        return JSONResponse({"findings": bench.store.findings(report_id)})

    async def decide(request: Request) -> JSONResponse:
        guarded(request)
        report_id, _ = stored_or_404(request)
        try:
            body = await request.json()
            fingerprint, decision, note = str(body["fingerprint"]), str(body.get("decision", "")), str(body.get("note", ""))
        except (ValueError, KeyError, TypeError) as exc:
            raise HTTPException(400, "请求应为 JSON：{\"fingerprint\": …, \"decision\": …, \"note\": …}") from exc
        if decision not in DECISION_ZH:
            raise HTTPException(400, "decision 应为 accepted、dismissed 或空")
        if not bench.store.decide(report_id, fingerprint, decision, note[:2000]):
            raise HTTPException(404, "这份报告没有此问题")
        return JSONResponse({"fingerprint": fingerprint, "decision": decision, "note": note[:2000]})

    # ---- downloads
    async def download(request: Request) -> Response:
        report_id, stored = stored_or_404(request)
        kind = request.path_params["kind"]
        stem = Path(stored["name"]).stem
        if kind in ("annotated.docx", "fixed.docx"):
            if stored["kind"] != "docx":
                raise HTTPException(409, "只有 Word（.docx）报告能下载批注稿和修订稿；其他格式请下载问题清单")
            from ..word import WordError

            try:
                body = await run_in_threadpool(bench.word_copy, report_id, kind.split(".")[0])
            except WordError as exc:
                raise HTTPException(409, str(exc)) from exc
            label = "审校" if kind == "annotated.docx" else "修订"
            return attachment(body, f"{stem}.{label}.docx",
                              "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        if kind == "baseline.json":
            document = await run_in_threadpool(bench.baseline, report_id)
            return attachment((json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode(),
                              f"{stem}.reviewed.json", "application/json")
        if kind in ("findings.xlsx", "findings.csv"):
            rows = sheet_rows(stored, bench.store.findings(report_id))
            if kind.endswith(".csv"):
                return attachment(to_csv(rows), f"{stem}.问题清单.csv", "text/csv; charset=utf-8")
            return attachment(to_xlsx(rows), f"{stem}.问题清单.xlsx",
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        raise HTTPException(404, "没有这种下载")

    async def shared_css(request: Request) -> Response:
        """The review page's style sheets (gidraft/output), shared with the standalone HTML page."""
        name = request.path_params["name"]
        folder = OUTPUT if name in ("review", "tables") else HERE / "static"
        path = folder / f"{name}.css"
        if name not in ("review", "tables", "app") or not path.is_file():
            raise HTTPException(404, "没有这个文件")
        return Response(path.read_bytes(), media_type="text/css")

    async def download_all(request: Request) -> Response:
        document = await run_in_threadpool(bench.baseline_all)
        return attachment((json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode(), "reviewed.json",
                          "application/json")

    async def error_page(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/") or "download" in request.url.path:
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=security_headers())
        return page("error.html.j2", exc.status_code, message=exc.detail, status=exc.status_code)

    routes = [
        Route("/", dashboard),
        Route("/reports/{report_id:int}", review),
        Route("/reports/{report_id:int}/print", print_view),
        Route("/reports/{report_id:int}/download/{kind}", download),
        Route("/download/baseline.json", download_all),
        Route("/api/reports", list_reports, methods=["GET"]),
        Route("/api/reports", upload, methods=["POST"]),
        Route("/api/reports/{report_id:int}", delete_report, methods=["DELETE"]),
        Route("/api/reports/{report_id:int}/findings", findings_of),
        Route("/api/reports/{report_id:int}/decisions", decide, methods=["POST"]),
        Route("/static/{name:str}.css", shared_css),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    async def headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.update(security_headers())
        return response

    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=hosts or ["127.0.0.1", "localhost", "testserver"]),
                  Middleware(BaseHTTPMiddleware, dispatch=headers)]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={HTTPException: error_page})
    app.state.bench = bench
    return app


def security_headers() -> dict[str, str]:
    return {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY", "Cache-Control": "no-store"}


def totals(reports: list[dict]) -> dict:
    return {"files": len(reports), "errors": sum(r["errors"] for r in reports),
            "warnings": sum(r["warnings"] for r in reports), "infos": sum(r["infos"] for r in reports),
            "unreadable": sum(1 for r in reports if r["error"]),
            "reviewed": sum(1 for r in reports if r["findings"] and r["decided"] >= r["findings"])}


def attachment(body: bytes, name: str, media_type: str) -> Response:
    ascii_name = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in name)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})


HEADER = ("文件", "位置", "级别", "代码", "规则类别", "说明", "原文", "建议", "审阅结论", "备注", "指纹")


def sheet_rows(stored: dict, findings: list[dict]) -> list[tuple]:
    return [(stored["name"], f["place"], SEVERITY_ZH[f["severity"]], f["code"], family(f["code"]), f["message"],
             f["original"] or "", f["fix"] if f["fix"] is not None else "", DECISION_ZH[f["decision"]], f["note"],
             f["fingerprint"]) for f in findings]


def to_csv(rows: list[tuple]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows:  # a cell starting with = + - @ would be a formula in a spreadsheet: quoted as text
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM tells Excel it is UTF-8


def to_xlsx(rows: list[tuple]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "问题清单"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # report text, never a formula
    for column, width in zip("ABCDEFGHIJK", (28, 16, 6, 8, 12, 60, 20, 16, 8, 24, 18)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

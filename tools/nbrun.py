"""Executes one Jupyter notebook with nbclient and reports progress as JSON lines on stdout.

Used by `deno task report` and `deno task test` (tools/jupyter.ts), which read the events:

    {"event": "start", "cells": 31, "code_cells": 17}
    {"event": "cell", "index": 4, "code_index": 2, "elapsed": 3.1}     before each code cell runs
    {"event": "error", "index": 9, "code_index": 5, "ename": "RangeError", "evalue": "...", "traceback": "..."}
    {"event": "done", "seconds": 12.4, "cell_seconds": [...]}

Indices are 1-based over all cells (`index`) and over code cells (`code_index`). The executed notebook is written
to --output (also when a cell fails, so the partial run can be inspected) and, on success, rendered to --html with
nbconvert's lab template. Outputs that Deno's kernel publishes just after a cell's idle status are kept (see
GraceNotebookClient). The lab template runs SVG outputs through lxml's HTML cleaner, which strips every path
and attribute of an SVG chart; the report renders our own trusted notebooks, so that filter is replaced by the
identity.

With --no-execute the notebook is only rendered to --html as it is (used by the report tests on a fixture).

Usage: nbrun.py INPUT --output OUT.ipynb [--html OUT.html] [--kernel deno] [--cwd DIR] [--timeout SECONDS]
       nbrun.py INPUT --no-execute --html OUT.html
"""

import argparse
import json
import queue
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import ensure_async

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class GraceNotebookClient(NotebookClient):
    """nbclient's client, listening a little longer after a cell reports `idle`.

    Deno's kernel (seen with 2.9.5) sometimes publishes a cell's `execute_result` a fraction of a millisecond after
    its `status: idle`; plain nbclient stops listening at idle and silently drops the output. This client keeps
    collecting the cell's messages for `GRACE` seconds after idle.
    """

    GRACE = 0.1

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    break
        deadline = time.monotonic() + self.GRACE
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=remaining))
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass


def emit(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def render_html(nb, path):
    """nbconvert's lab template with the SVG-stripping clean_html filter replaced by the identity."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.register_filter("clean_html", lambda text, *a, **k: text)
    body, _ = exporter.from_notebook_node(nb)
    with open(path, "w", encoding="utf-8") as f:
        f.write(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--output")
    parser.add_argument("--no-execute", action="store_true")
    parser.add_argument("--html")
    parser.add_argument("--kernel", default="deno")
    parser.add_argument("--cwd", default=".")
    parser.add_argument("--timeout", type=int, default=1200)
    args = parser.parse_args()

    nb = nbformat.read(args.input, as_version=4)
    if args.no_execute:
        if not args.html:
            parser.error("--no-execute needs --html")
        render_html(nb, args.html)
        return 0
    if not args.output:
        parser.error("--output is required")
    code_positions = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    code_number = {cell_index: k + 1 for k, cell_index in enumerate(code_positions)}
    started = time.monotonic()
    cell_started = {}
    cell_seconds = {}
    failure = {}

    def on_cell_start(cell, cell_index, **_):
        if cell.cell_type != "code":
            return
        cell_started[cell_index] = time.monotonic()
        emit(event="cell", index=cell_index + 1, code_index=code_number.get(cell_index, 0),
             elapsed=round(time.monotonic() - started, 2))

    def on_cell_executed(cell, cell_index, **_):
        if cell_index in cell_started:
            cell_seconds[cell_index + 1] = round(time.monotonic() - cell_started[cell_index], 3)

    def on_cell_error(cell, cell_index, **_):
        failure["index"] = cell_index

    client = GraceNotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": args.cwd}},
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
        on_cell_error=on_cell_error,
    )
    emit(event="start", cells=len(nb.cells), code_cells=len(code_positions))
    ok = True
    try:
        client.execute()
    except CellExecutionError as error:
        ok = False
        index = failure.get("index")
        outputs = nb.cells[index].outputs if index is not None else []
        err = next((o for o in outputs if o.get("output_type") == "error"), None)
        emit(
            event="error",
            index=(index + 1) if index is not None else 0,
            code_index=code_number.get(index, 0),
            ename=(err or {}).get("ename", type(error).__name__),
            evalue=ANSI.sub("", (err or {}).get("evalue", str(error))),
            traceback=ANSI.sub("", "\n".join((err or {}).get("traceback", []))),
        )
    except Exception as error:  # kernel died, timeout, missing kernel: report and fail
        ok = False
        emit(event="error", index=0, code_index=0, ename=type(error).__name__,
             evalue=ANSI.sub("", str(error)), traceback="")

    nbformat.write(nb, args.output)
    if ok and args.html:
        render_html(nb, args.html)
    emit(event="done", ok=ok, seconds=round(time.monotonic() - started, 2), cell_seconds=cell_seconds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

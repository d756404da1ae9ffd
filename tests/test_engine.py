"""The engine internals the adapter relies on (hooks/cchc_mkdocs/engine.py), checked against the
installed MkDocs and ProperDocs: an engine upgrade that changes them fails here, instead of
building a different site.  Also: the adapter is a plugin the engines find, it keeps no
module-level state, and the engine's output reaches staff in Vietnamese."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support import BIN, ROOT

ENGINES = ("mkdocs", "properdocs")


def _engine(name: str):
    """Import an engine's modules in a fresh interpreter-like way (ProperDocs aliases mkdocs.*)."""
    return {
        "pages": importlib.import_module(f"{name}.structure.pages"),
        "files": importlib.import_module(f"{name}.structure.files"),
        "build": importlib.import_module(f"{name}.commands.build"),
    }


@pytest.mark.parametrize("name", ENGINES)
def test_page_render_sets_what_the_adapter_sets(name):
    """engine.use_converted_body replaces Page.render and sets content, toc, _title_from_render,
    present_anchor_ids and links_to_anchors: the engine's own render must take the same
    arguments and assign those same attributes (and no other) for a page to be the same either way."""
    Page = _engine(name)["pages"].Page
    signature = inspect.signature(Page.render)
    assert list(signature.parameters) == ["self", "config", "files"], signature
    tree = ast.parse(textwrap.dedent(inspect.getsource(Page.render)))
    assigned = {node.attr for node in ast.walk(tree)
                if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name) and node.value.id == "self"}
    assert assigned == {"content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors"}, assigned


@pytest.mark.parametrize("name", ENGINES)
def test_dirty_builds_ask_the_file_whether_it_changed(name):
    """engine.set_modified answers `file.is_modified()`: a --dirty build must skip exactly the
    pages whose file says it is not modified."""
    source = inspect.getsource(_engine(name)["build"]._build_page)
    assert "dirty and not page.file.is_modified()" in source
    assert hasattr(_engine(name)["files"].File, "is_modified")


@pytest.mark.parametrize("name", ENGINES)
def test_a_clean_build_empties_the_site_folder_after_pre_build_and_keeps_hidden_entries(name):
    """cchc_mkdocs.site_in_place sets the previous pages aside in a hidden folder in `on_pre_build`
    and puts them back in `on_files`: the engine must empty the folder between those two events,
    and leave hidden entries alone, or a second build would publish stale pages (or lose them)."""
    from cchc_mkdocs.engine import CLEAN_SKIPS_HIDDEN

    utils = importlib.import_module(f"{name}.utils")
    assert CLEAN_SKIPS_HIDDEN in inspect.getsource(utils.clean_directory)
    source = inspect.getsource(_engine(name)["build"].build)
    order = [source.index(part) for part in ("on_pre_build(", "clean_directory(config.site_dir)", "on_files(")]
    assert order == sorted(order), order


@pytest.mark.parametrize("name", ENGINES)
def test_a_page_with_no_output_is_not_written_and_the_line_left_out_is_the_engines(name):
    """A page already in place is given no output (cchc_mkdocs.site_in_place): the engine must
    skip writing a page whose output is empty, and log exactly the line the plugin leaves out,
    on a logger the plugin filters."""
    from cchc_mkdocs.engine import BUILD_LOGGERS, SKIPPED_PAGE

    module = _engine(name)["build"]
    source = inspect.getsource(module._build_page)
    assert "if output.strip():" in source
    assert SKIPPED_PAGE.format(src="{page.file.src_uri}") in source
    assert module.log.name in BUILD_LOGGERS


@pytest.mark.parametrize("name", ENGINES)
def test_a_page_rendered_by_the_helper_is_rendered_as_the_engine_renders_it(name):
    """engine.render_page (used by cchc_mkdocs.render_helper, in a second process) repeats the
    engine's `_build_page` up to the template's output: the same steps, in the same order."""
    from cchc_mkdocs import engine

    source = inspect.getsource(_engine(name)["build"]._build_page)
    ours = inspect.getsource(engine.render_page)
    steps = ("config._current_page = page", "page.active = True", "get_context(nav, doc_files, config, page)",
             "env.get_template(page.meta.get('template', 'main.html'))",
             "config.plugins.on_page_context(context, page=page, config=config, nav=nav)",
             "template.render(context)", "config.plugins.on_post_page(", "page.active = False")
    at = [source.index(step) for step in steps]
    assert at == sorted(at), at
    for step in steps[:6] + steps[7:]:
        assert step.replace("'", '"') in ours, step
    assert "plugins.on_post_page(" not in ours  # the build process finishes the page
    assert hasattr(_engine(name)["build"], "get_context")


@pytest.mark.parametrize("name", ENGINES)
def test_the_dirty_warning_left_out_is_the_engines(name):
    """`cchc serve` leaves out MkDocs' warning about --dirty builds by its first words."""
    from cchc_mkdocs.console import DIRTY_WARNING

    assert DIRTY_WARNING in inspect.getsource(_engine(name)["build"].build)


def test_the_plugin_is_found_by_the_engines():
    """`plugins: [cchc]` in mkdocs.yml: the entry point resolves to the adapter's class (ProperDocs
    reads MkDocs' entry points too; tests/test_integrity.py builds the site with both)."""
    from importlib.metadata import entry_points

    found = [e for e in entry_points(group="mkdocs.plugins") if e.name == "cchc"]
    assert len(found) == 1 and found[0].load().__name__ == "CchcPlugin"


def test_the_adapter_keeps_no_module_level_state():
    """State lives in the plugin instance (one BuildRun per build, one PreviewSession per serve):
    no module of the adapter assigns a mutable value at module level or uses `global`."""
    for path in sorted((ROOT / "hooks" / "cchc_mkdocs").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            assert not isinstance(node, ast.Global), f"{path.name}: global"
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                value = node.value
                assert not isinstance(value, (ast.Dict, ast.List, ast.Set, ast.ListComp, ast.DictComp,
                                              ast.SetComp)) or _is_constant_table(node), \
                    f"{path.name}: module-level mutable value at line {node.lineno}"


def _is_constant_table(node) -> bool:
    """A table of constants (translations, levels), written once and only read."""
    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
    return isinstance(target, ast.Name) and target.id.lstrip("_").isupper()


def test_the_adapter_is_small():
    """The plugin is a file a reader takes in at once."""
    lines = (ROOT / "hooks" / "cchc_mkdocs" / "plugin.py").read_text(encoding="utf-8").count("\n")
    assert lines <= 280, lines


# --- the engine's output, as staff read it ---------------------------------------------------
def _translated(text: str, tmp_path: Path) -> list[str]:
    from cchc_mkdocs.console import EngineOutput

    lines: list[str] = []
    output = EngineOutput(lines.append, log_dir=tmp_path)
    for line in text.splitlines():
        output.feed(line)
    output.close()
    return [line for line in lines if line]


def test_engine_lines_are_vietnamese_and_the_dirty_warning_is_left_out(tmp_path):
    lines = _translated("INFO    -  Cleaning site directory\n"
                        "WARNING -  A 'dirty' build is being performed, this will likely lead to inaccurate\n"
                        "INFO    -  Documentation built in 1.23 seconds\n"
                        "INFO    -  Serving on http://127.0.0.1:8000/cchc/\n"
                        "Error: content/news/a.md:3: lỗi: …\n", tmp_path)
    assert lines == ["TIN    -  Dọn thư mục xuất bản", "TIN    -  Dựng xong trong 1.23 giây",
                     "TIN    -  Bản xem thử: http://127.0.0.1:8000/cchc/", "Lỗi: content/news/a.md:3: lỗi: …"]


def test_a_traceback_becomes_one_message_and_a_log_file(tmp_path):
    traceback = ("Traceback (most recent call last):\n"
                 '  File "/x/mkdocs/utils/__init__.py", line 10, in write_file\n'
                 "    f.write(content)\n"
                 "OSError: [Errno 28] No space left on device: '/tmp/site/tin-tuc/index.html'\n")
    lines = _translated("INFO    -  Building documentation to directory: /tmp/site\n" + traceback, tmp_path)
    assert len(lines) == 2 and "Traceback" not in "\n".join(lines)
    assert lines[1].startswith("Lỗi: hết chỗ trống trên đĩa khi ghi vào /tmp")
    other = _translated("Traceback (most recent call last):\n  File \"x.py\", line 1, in f\n"
                        "KeyError: 'tin-tuc/a/'\n", tmp_path)
    assert len(other) == 1 and "lỗi không mong đợi" in other[0] and "loi-gan-nhat.txt" in other[0]
    assert "KeyError: 'tin-tuc/a/'" in (tmp_path / "loi-gan-nhat.txt").read_text(encoding="utf-8")


def test_the_domain_package_does_not_import_the_adapter():
    """hooks/cchc runs without any engine: only `cchc build`/`cchc serve` use the adapter's
    console helper (which imports no engine)."""
    for path in sorted((ROOT / "hooks" / "cchc").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(name.split(".")[0] == "cchc_mkdocs" for name in names):
                assert path.name == "build_cli.py", path
    result = subprocess.run([sys.executable, "-c", "import cchc_mkdocs.console, sys; "
                             "print(any(m == 'mkdocs' or m.startswith('mkdocs.') for m in sys.modules))"],
                            capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr

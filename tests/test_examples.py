"""The example notebook executed end to end (nbclient) on a real run over the bundled samples."""

import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import nvo_nlp
from conftest import REPO, SAMPLES
from nvo_nlp.ingest import read_inputs
from nvo_nlp.process import ErrorRecord, analyze_batch
from nvo_nlp.store import write_run

EXAMPLES = REPO / "examples"
NOTEBOOK = EXAMPLES / "analysis.ipynb"
KERNEL_PREFIX = "import sys; print(sys.prefix)"


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    """What the pipeline flow writes for the samples, without the ~10 s of starting Prefect."""
    output = tmp_path_factory.mktemp("processed")
    articles, failures = read_inputs([str(SAMPLES)])
    result = analyze_batch(articles)
    errors = [ErrorRecord(f.origin, "read", f.kind, f.reason) for f in failures] + list(result.errors)
    write_run(output, result.analyses, errors, [a.origin for a in articles] + [f.origin for f in failures])
    return output


@pytest.fixture(scope="module")
def executed(output):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # A user-level python3 kernelspec could run another interpreter: the last cell (only in this
    # in-memory copy) tells which one ran.
    notebook.cells.append(nbformat.v4.new_code_cell(KERNEL_PREFIX))
    with pytest.MonkeyPatch.context() as env:  # the kernel inherits this process's environment
        env.setenv("NVO_NLP_OUTPUT", str(output))
        # Non-interactive and, unlike Agg, it sends plt.show() figures to the notebook as PNG.
        env.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        NotebookClient(
            notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}
        ).execute()
    return notebook


def tagged(notebook, tag):
    (cell,) = [cell for cell in notebook.cells if tag in cell.metadata.get("tags", [])]
    return cell


def text_of(cell) -> str:
    parts = []
    for output in cell.outputs:
        parts.append(output.get("text", ""))
        parts.extend(value for value in output.get("data", {}).values() if isinstance(value, str))
    return "\n".join(parts)


def test_examples_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_examples_notebook_runs_every_cell_in_this_interpreter(executed):
    outputs = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    assert text_of(executed.cells[-1]).strip() == sys.prefix


def test_examples_notebook_counts_articles_and_events_per_language(executed):
    counts = text_of(tagged(executed, "languages"))
    assert "lt" in counts and "lv" in counts


def test_examples_notebook_filters_events_by_municipality(executed, output):
    shown = text_of(tagged(executed, "municipality"))
    events = nvo_nlp.load("events", output)
    here = events.place_ids.map(lambda ids: "LT-21" in list(ids))
    assert here.any() and not here.all()
    assert all(title in shown for title in events[here].title)
    assert not [title for title in events[~here].title if title in shown]


def test_examples_notebook_plots_activity_per_month(executed):
    months = text_of(tagged(executed, "per-month"))
    # An LV sample's event of early October 2015 counts; a date known only to its year (2007) does not.
    assert "2015-10" in months and "2007-01" not in months
    outputs = tagged(executed, "plot").outputs
    assert any("image/png" in output.get("data", {}) for output in outputs)


def test_examples_notebook_lists_officials_with_their_role(executed):
    table = text_of(tagged(executed, "officials"))
    # The Klaipėda district vice mayor of the Lithuanian sample.
    assert "Violeta Riaukienė" in table and "vice_mayor" in table and "Klaipėdos rajono savivaldybė" in table


def test_examples_notebook_joins_mentions_to_entity_names_with_duckdb(executed):
    names = text_of(tagged(executed, "duckdb"))
    assert all(name in names for name in ("Klaipėdos rajonas", "Klaipēdas rajons", "Klaipėda District"))

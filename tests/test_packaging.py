"""The wheel holds every package: pyproject.toml lists them one by one (src layout plus flows/)."""

import tomllib

from conftest import REPO


def test_packaging_lists_every_package_of_src():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    source = REPO / "src"
    found = {".".join(init.parent.relative_to(source).parts) for init in source.rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"

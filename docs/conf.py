"""Sphinx configuration of fastridge's documentation site.

    pip install ".[docs]"                                  # fastridge itself and the docs tools
    sphinx-build -W --keep-going -b html docs docs/_build/html

The documentation documents the *installed* fastridge (the source tree has no compiled kernels):
run the build with fastridge installed, as ``.ci/run`` does.  The gallery (``examples/``) runs at
build time.

Offline by default: the links to the numpy, SciPy, scikit-learn and Dask documentation
(intersphinx) need their inventories from the network, so they are made only with
``FASTRIDGE_DOCS_INTERSPHINX=1``; without it the build needs no network and names those objects
without links.
"""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import fastridge

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

project = "fastridge"
author = "fastridge developers"
copyright = "fastridge developers"
release = fastridge.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py",
                    "auto_examples/*.zip", "auto_examples/*.md5"]
templates_path = ["_templates"]

# README.md is written for GitHub: its sections go from ### to #### inside an included page, and
# its first lines sit under the page's own title; neither is a mistake there.
suppress_warnings = ["myst.header"]
myst_enable_extensions = ["dollarmath"]

# ---- the API reference: one page per public name (docs/api.rst), from the docstrings -----------
autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"  # the numpydoc Parameters sections say the types, in words
numpydoc_show_class_members = False  # methods are documented in full by autodoc's :members:
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# ---- links to the libraries fastridge works with: only on request (needs the network) ---------
intersphinx_mapping = {}
if os.environ.get("FASTRIDGE_DOCS_INTERSPHINX", "") == "1":
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable/", None),
        "scipy": ("https://docs.scipy.org/doc/scipy/", None),
        "sklearn": ("https://scikit-learn.org/stable/", None),
        "dask": ("https://docs.dask.org/en/stable/", None),
        "distributed": ("https://distributed.dask.org/en/stable/", None),
    }
intersphinx_timeout = 10

# ---- the gallery: examples/*.py, run at build time -------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("fastridge",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"fastridge": None},
    "download_all_examples": False,
    "show_memory": False,
    "remove_config_comments": True,
    "abort_on_example_error": False,
    "matplotlib_animations": False,
}

# ---- HTML ------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"fastridge {release}"
html_static_path = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 7,
    "secondary_sidebar_items": ["page-toc", "sg_download_links", "sg_launcher_links"],
}
html_sidebars = {"index": [], "changelog": []}
html_show_sourcelink = False


# ---- checks and generated inputs ---------------------------------------------------------------

def public_names():
    """Every name users reach: ``fastridge.__all__``, with the names of its public modules
    (``exceptions``, ``datasets``) expanded to theirs; ``__version__`` is not an object to
    document."""
    import importlib
    import inspect

    names = set()
    for name in fastridge.__all__:
        if name == "__version__":
            continue
        obj = getattr(fastridge, name)
        if inspect.ismodule(obj):
            mod = importlib.import_module(obj.__name__)
            names |= {f"{obj.__name__}.{sub}" for sub in mod.__all__}
        else:
            names.add(f"fastridge.{name}")
    return names


def listed_names(api_rst):
    """The names the autosummary tables of docs/api.rst list (one per indented line, relative to
    ``.. currentmodule:: fastridge``)."""
    text = api_rst.read_text(encoding="utf-8")
    names = set()
    for block in re.findall(r"^\.\. autosummary::\n((?:[ \t]+.*\n|\n)+)", text, re.MULTILINE):
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith(":"):
                names.add(f"fastridge.{line}")  # relative to the page's currentmodule
    return names


def check_api_reference(app):
    """The reference lists exactly the public names: a name added to ``__all__`` without a page,
    or a page for a name that is gone, is a build warning (an error under ``-W``)."""
    from sphinx.util import logging

    logger = logging.getLogger("fastridge.docs")
    listed = listed_names(HERE / "api.rst")
    public = public_names()
    for name in sorted(public - listed):
        logger.warning(f"docs/api.rst does not list the public name {name}")
    for name in sorted(listed - public):
        logger.warning(f"docs/api.rst lists {name}, which is not a public name")


def write_cli_help(app):
    """``fastridge --help`` and ``fastridge fit --help`` of the installed package, for cli.md."""
    out = HERE / "_generated"
    out.mkdir(exist_ok=True)
    env = dict(os.environ, COLUMNS="100")
    for args, name in ((["--help"], "cli_help.txt"), (["fit", "--help"], "cli_fit_help.txt")):
        # run from an empty directory: `python -m` puts the working directory on sys.path
        with tempfile.TemporaryDirectory() as tmp:
            text = subprocess.run([sys.executable, "-m", "fastridge", *args], cwd=tmp, env=env,
                                  check=True, capture_output=True, text=True).stdout
        target = out / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("builder-inited", check_api_reference)
    app.connect("builder-inited", write_cli_help)

__version__ = "0.1.0.dev0"

# The name on PyPI. `fastridge` there is another project (an EM ridge package) that also installs
# a module named `fastridge`; this distribution is `fastridge-blas`, its import name `fastridge`.
DISTRIBUTION = "fastridge-blas"


def install_hint(extra):
    """The pip command that installs one of this distribution's optional extras."""
    return f'pip install "{DISTRIBUTION}[{extra}]"'

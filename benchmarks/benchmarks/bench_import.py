"""Import cost of fastridge, each sample in a fresh interpreter (asv ``timeraw_``).

``import fastridge`` must stay cheap: SciPy and the compiled kernels load lazily, on first use.
These benchmarks return the code that asv times in a new process, so nothing imported here
(or by other benchmarks) makes the import look free.
"""


class Import:
    def timeraw_import_fastridge(self):
        return "import fastridge"

    def timeraw_import_ridge(self):
        # The public name resolves lazily; this still must not load the kernels.
        return "from fastridge import Ridge"

    def timeraw_first_fit(self):
        # Everything the first fit pays on top of the data: SciPy and the kernels loading.
        setup = """
import numpy as np
from fastridge import Ridge
rng = np.random.default_rng(0)
X = rng.standard_normal((200, 10))
y = X @ rng.standard_normal(10)
"""
        return "Ridge(alpha=1.0, solver='cd').fit(X, y)", setup

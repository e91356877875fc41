# Small pieces shared by the kernel modules (header-only: inline definitions, no module of its own).
from libc.stdint cimport int32_t, int64_t

# scipy.sparse index arrays come as int32 or int64; the kernels take either without a copy
ctypedef fused index_t:
    int32_t
    int64_t

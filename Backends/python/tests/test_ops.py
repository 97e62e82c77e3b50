"""The SDK's op tests (assay_backend/testing/ops_tests.py) on the shipped backends
(the `assay_backend_client` fixture of conftest.py: numpy, torch cpu and cuda)."""

from assay_backend.testing.ops_tests import (test_conv2d_resnet50_sized_layer, test_gelu_silu_limits,  # noqa: F401
                                             test_matmul_int8_exact, test_op,
                                             test_reduce_over_everything_gives_scalar)

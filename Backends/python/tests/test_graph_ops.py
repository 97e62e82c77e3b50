"""The SDK's graph-op tests (assay_backend/testing/graph_ops_tests.py) on the shipped backends."""

from assay_backend.testing.graph_ops_tests import (test_argmax_and_topk_order, test_batch_norm_inference,  # noqa: F401
                                                   test_cast_rounds_to_nearest_even, test_data_movement_is_bit_exact)

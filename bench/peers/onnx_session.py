"""The onnxruntime session of the peers' digits.onnx, opened as runtime.models.contract opens it for `runtime
serve`: up to 4 intra-op threads, one inter-op thread, no spinning. Beside the peer scripts, in their
environments (the runtime is not installed there)."""
import os

import onnxruntime as ort


def session(path: str) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = min(4, os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])

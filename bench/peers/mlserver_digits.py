"""MLServer's custom runtime for digits.onnx: onnxruntime with the threads `runtime serve` uses, the V2 tensor
`image` [N, 1, 28, 28] in, `log_probs` [N, 10] out. Loaded by `mlserver start` in its own environment."""
import os

import numpy as np
import onnxruntime as ort
from mlserver import MLModel
from mlserver.codecs import NumpyCodec
from mlserver.types import InferenceRequest, InferenceResponse


def session(path: str) -> ort.InferenceSession:
    """As runtime.models.contract opens it for `runtime serve`: up to 4 intra-op threads, no spinning."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = min(4, os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


class OnnxDigits(MLModel):
    async def load(self) -> bool:
        self._session = session(self.settings.parameters.uri)
        self._input = self._session.get_inputs()[0].name
        return True

    async def predict(self, payload: InferenceRequest) -> InferenceResponse:
        images = NumpyCodec.decode_input(payload.inputs[0]).astype(np.float32).reshape(-1, 1, 28, 28)
        log_probs = self._session.run(None, {self._input: images})[0]
        return InferenceResponse(model_name=self.name, id=payload.id,
                                 outputs=[NumpyCodec.encode_output("log_probs", log_probs)])

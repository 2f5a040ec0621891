"""MLServer's custom runtime for digits.onnx: onnxruntime with the threads `runtime serve` uses, the V2 tensor
`image` [N, 1, 28, 28] in, `log_probs` [N, 10] out. Loaded by `mlserver start` in its own environment."""
import numpy as np
from mlserver import MLModel
from mlserver.codecs import NumpyCodec
from mlserver.types import InferenceRequest, InferenceResponse
from onnx_session import session


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

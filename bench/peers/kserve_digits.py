"""KServe's Python ModelServer for digits.onnx: onnxruntime with the threads `runtime serve` uses, the V2 tensor
`image` [N, 1, 28, 28] in, `log_probs` [N, 10] out. Run in its own environment:
python kserve_digits.py --model_path digits.onnx --http_port 8080."""
import argparse
import uuid

import numpy as np
from kserve import InferOutput, InferRequest, InferResponse, Model, ModelServer, model_server
from onnx_session import session


class OnnxDigits(Model):
    def __init__(self, name: str, path: str) -> None:
        super().__init__(name)
        self.path = path
        self.load()

    def load(self) -> bool:
        self.session = session(self.path)
        self.input_name = self.session.get_inputs()[0].name
        self.ready = True
        return self.ready

    def predict(self, payload: InferRequest, headers=None, response_headers=None) -> InferResponse:
        images = payload.inputs[0].as_numpy().astype(np.float32).reshape(-1, 1, 28, 28)
        log_probs = self.session.run(None, {self.input_name: images})[0]
        output = InferOutput(name="log_probs", shape=list(log_probs.shape), datatype="FP32")
        output.set_data_from_numpy(log_probs, binary_data=False)
        return InferResponse(response_id=payload.id or str(uuid.uuid4()), model_name=self.name, infer_outputs=[output])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(parents=[model_server.parser])
    parser.add_argument("--model_path", required=True)
    args, _ = parser.parse_known_args()
    ModelServer(http_port=args.http_port, enable_grpc=False, workers=1).start([OnnxDigits("digits", args.model_path)])

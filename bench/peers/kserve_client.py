"""KServe's own Python client (InferenceRESTClient, V2 protocol) against a server's KServe route: checks it is
live, ready and that model `digits` is ready, sends the [N, 1, 28, 28] tensor of an .npy file, prints the
log-probabilities as JSON. Run in the kserve environment: python kserve_client.py URL images.npy."""
import asyncio
import json
import sys

import numpy as np
from kserve import InferenceRESTClient, InferInput, InferRequest, RESTConfig


async def main(url: str, images: np.ndarray) -> None:
    async with InferenceRESTClient(RESTConfig(protocol="v2", retries=0, timeout=60)) as client:
        assert await client.is_server_live(url) and await client.is_server_ready(url)
        assert await client.is_model_ready(url, "digits")
        tensor = InferInput("image", list(images.shape), "FP32")
        tensor.set_data_from_numpy(images, binary_data=False)
        answer = await client.infer(url, InferRequest(model_name="digits", infer_inputs=[tensor]), model_name="digits")
        print(json.dumps(answer.outputs[0].as_numpy().tolist()))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], np.load(sys.argv[2]).astype(np.float32)))

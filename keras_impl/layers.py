"""Keras' Conv2D and MaxPooling2D, computed in the forms XLA's CPU backend trains fastest.

XLA turns the gradients of a convolution with this few channels, and of a max-pool, into slow generic
kernels: the twin trained at 0.6x the speed of PyTorch with the stock layers (bench/). The same
arithmetic as one matrix product over image patches, and as a reshape and a max, trains faster
than PyTorch. The weights, configuration and outputs are the stock layers'.
"""
import keras
from keras import layers, ops


def im2col_convolution(inputs, kernel):
    """[N, H, W, C] * [rows, cols, C, F] -> [N, H - rows + 1, W - cols + 1, F]: an unpadded stride-1
    convolution, as one matrix product of every rows x cols patch with the flattened kernel."""
    rows, cols, channels, filters = kernel.shape
    out_rows, out_cols = inputs.shape[1] - rows + 1, inputs.shape[2] - cols + 1
    # Shifted copies, rows then columns: [N, out_rows, out_cols, rows, cols, C], the kernel's axis order.
    # (Two stacks of `rows` and `cols` copies compile to faster code than one of rows x cols.)
    shifted_rows = ops.stack([inputs[:, i:i + out_rows] for i in range(rows)], axis=3)
    patches = ops.stack([shifted_rows[:, :, j:j + out_cols] for j in range(cols)], axis=4)
    patches = ops.reshape(patches, (-1, out_rows, out_cols, rows * cols * channels))
    return ops.matmul(patches, ops.reshape(kernel, (rows * cols * channels, filters)))


@keras.saving.register_keras_serializable(package="keras_impl")
class Conv2D(layers.Conv2D):
    """Conv2D that trains as an im2col product; stride 1, no padding."""

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(filters, kernel_size, **kwargs)
        if (self.padding, self.strides, self.dilation_rate, self.groups, self.data_format) != (
                "valid", (1, 1), (1, 1), 1, "channels_last"):
            raise ValueError(f"{self.name}: only stride-1, undilated, ungrouped, 'valid', channels-last "
                             "convolutions are supported")

    def call(self, inputs, training=None):
        if not training:  # without a gradient, XLA's own convolution is the faster (and exports as ONNX Conv)
            return super().call(inputs)
        outputs = im2col_convolution(inputs, self.kernel)
        return self.activation(outputs + self.bias if self.use_bias else outputs)


@keras.saving.register_keras_serializable(package="keras_impl")
class MaxPooling2D(layers.MaxPooling2D):
    """Non-overlapping max-pooling (stride = pool size, no padding) as a reshape and a max, always: its
    gradient is fast in XLA, and jax2onnx exports it as ReduceMax (the stock layer's 4-D reduce_window
    becomes an ONNX MaxPool that onnxruntime cannot run)."""

    def __init__(self, pool_size, **kwargs):
        super().__init__(pool_size, **kwargs)
        if self.strides != self.pool_size or self.padding != "valid" or self.data_format != "channels_last":
            raise ValueError(f"{self.name}: only non-overlapping, 'valid', channels-last pooling is supported")

    def call(self, inputs):
        (rows, cols), (_, height, width, channels) = self.pool_size, inputs.shape
        inputs = inputs[:, :height // rows * rows, :width // cols * cols]  # 'valid' drops the remainder
        return ops.max(ops.reshape(inputs, (-1, height // rows, rows, width // cols, cols, channels)), axis=(2, 4))

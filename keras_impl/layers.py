"""Keras' Conv2D and MaxPooling2D, computed in the forms XLA's CPU backend runs fastest.

XLA lowers a convolution with this few channels, and the gradient of a max-pool, to slow generic
kernels: the twin trained at 0.6x the speed of PyTorch with the stock layers (bench/). The same
arithmetic as one matrix product over image patches, and as a reshape and a max, trains faster than
PyTorch. The weights, configuration and outputs are the stock layers'.
"""
import keras
from keras import layers, ops


@keras.saving.register_keras_serializable(package="keras_impl")
class Conv2D(layers.Conv2D):
    """Conv2D as one matrix product over every kernel-sized patch ("im2col"); stride 1, no padding."""

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(filters, kernel_size, **kwargs)
        if (self.padding, self.strides, self.dilation_rate, self.groups, self.data_format) != (
                "valid", (1, 1), (1, 1), 1, "channels_last"):
            raise ValueError(f"{self.name}: only stride-1, undilated, ungrouped, 'valid', channels-last "
                             "convolutions are supported")

    def convolution_op(self, inputs, kernel):
        rows, cols, channels, filters = kernel.shape
        out_rows, out_cols = inputs.shape[1] - rows + 1, inputs.shape[2] - cols + 1
        # Patches laid out (row, col, channel), the order of the kernel's first three axes.
        patches = ops.concatenate([inputs[:, i:i + out_rows, j:j + out_cols, :]
                                   for i in range(rows) for j in range(cols)], axis=-1)
        return ops.matmul(patches, ops.reshape(kernel, (rows * cols * channels, filters)))


@keras.saving.register_keras_serializable(package="keras_impl")
class MaxPooling2D(layers.MaxPooling2D):
    """Non-overlapping max-pooling (stride = pool size, no padding) as a reshape and a max."""

    def __init__(self, pool_size, **kwargs):
        super().__init__(pool_size, **kwargs)
        if self.strides != self.pool_size or self.padding != "valid" or self.data_format != "channels_last":
            raise ValueError(f"{self.name}: only non-overlapping, 'valid', channels-last pooling is supported")

    def call(self, inputs):
        (rows, cols), (_, height, width, channels) = self.pool_size, inputs.shape
        inputs = inputs[:, :height // rows * rows, :width // cols * cols]  # 'valid' drops the remainder
        return ops.max(ops.reshape(inputs, (-1, height // rows, rows, width // cols, cols, channels)), axis=(2, 4))

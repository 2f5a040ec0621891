"""MNIST: the four IDX files fetched and checked by SHA-256 (mnist), and the IDX format read (idx)."""

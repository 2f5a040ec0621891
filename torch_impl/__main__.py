from torch_impl.cli import main

main()

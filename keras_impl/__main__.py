from keras_impl.cli import main

main()

"""`runtime`: read handwritten digits and place symbols in the digit network's embedding space.

Needs only numpy, onnxruntime, OpenCV and typer; the default models ship inside the package. The commands:
digits (predict, embed, evaluate, info, fetch), symbols (`runtime greek ...`), serve.
"""
import typer

from runtime.cli import digits, serve, symbols
from runtime.errors import run_cli

app = typer.Typer(help="Recognise handwritten digits and symbols with the exported MNIST network (ONNX).",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  rich_markup_mode="markdown")  # markdown: docstring paragraphs are reflowed
app.command("predict")(digits.predict_command)
app.command("embed")(digits.embed_command)
app.command("evaluate")(digits.evaluate_command)
app.command("info")(digits.info_command)
app.command("serve")(serve.serve_command)
app.command("fetch")(digits.fetch_command)
app.add_typer(symbols.greek, name="greek")


def main() -> None:
    run_cli(app)

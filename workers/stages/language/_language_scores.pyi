from typing_extensions import Buffer

def likeliest(
    text: Buffer, next_move: Buffer, rows: Buffer, outputs: Buffer, weights: Buffer, priors: Buffer, aliases: Buffer
) -> tuple[int, float]: ...

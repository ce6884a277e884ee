#!/usr/bin/env python3
"""Writes a tiny llama GGUF with random float32 weights, made here (nothing is downloaded).

  make_model.py --gguf-py DIR OUT.gguf [--pruned] [--seed N]

DIR is llama.cpp's gguf-py (the source node-llama-cpp carries as a git bundle; setup.sh
clones it). The dense model has 2 blocks, 64-wide embeddings, 4 heads and an FFN 128 wide;
--pruned keeps the architecture but halves the FFN (n_ff 64) and the heads (2, same head
size): structurally smaller tensors, as a pruned model would have. Same seed, same file.
"""
import argparse
import sys

import numpy as np

N_EMBD = 64
N_LAYER = 2
HEAD_DIM = 16
N_CTX = 512


def vocab():
    """SentencePiece-style: <unk> <s> </s>, the 256 byte tokens, then letters and words."""
    toks = [b"<unk>", b"<s>", b"</s>"] + [b"<0x%02X>" % i for i in range(256)]
    types = [2, 3, 3] + [6] * 256
    pieces = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    pieces += ["\u2581" + w for w in ("the", "a", "of", "and", "to", "in", "is", "it")]
    toks += [p.encode() for p in pieces]
    types += [1] * len(pieces)
    scores = [0.0] * len(toks)
    return toks, scores, types


def add_block(w, rng, i, n_head, n_ff):
    q_dim = n_head * HEAD_DIM
    t = {
        "attn_norm.weight": np.ones(N_EMBD),
        "attn_q.weight": rng.standard_normal((q_dim, N_EMBD)),
        "attn_k.weight": rng.standard_normal((q_dim, N_EMBD)),
        "attn_v.weight": rng.standard_normal((q_dim, N_EMBD)),
        "attn_output.weight": rng.standard_normal((N_EMBD, q_dim)),
        "ffn_norm.weight": np.ones(N_EMBD),
        "ffn_gate.weight": rng.standard_normal((n_ff, N_EMBD)),
        "ffn_up.weight": rng.standard_normal((n_ff, N_EMBD)),
        "ffn_down.weight": rng.standard_normal((N_EMBD, n_ff)),
    }
    for name, v in t.items():
        w.add_tensor("blk.%d.%s" % (i, name), (v * 0.05).astype(np.float32))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gguf-py", required=True, help="llama.cpp's gguf-py directory")
    ap.add_argument("--pruned", action="store_true", help="half the FFN width and heads")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("out")
    a = ap.parse_args()
    sys.path.insert(0, a.gguf_py)
    import gguf  # noqa: E402 (from --gguf-py)

    n_head = 2 if a.pruned else 4
    n_ff = 64 if a.pruned else 128
    rng = np.random.default_rng(a.seed)
    toks, scores, types = vocab()
    w = gguf.GGUFWriter(a.out, "llama")
    w.add_name("nnperf-tiny-llama-" + ("pruned" if a.pruned else "dense"))
    w.add_context_length(N_CTX)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(N_LAYER)
    w.add_feed_forward_length(n_ff)
    w.add_head_count(n_head)
    w.add_head_count_kv(n_head)
    w.add_key_length(HEAD_DIM)
    w.add_value_length(HEAD_DIM)
    w.add_rope_dimension_count(HEAD_DIM)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("llama")
    w.add_token_list(toks)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.add_tensor("token_embd.weight", (rng.standard_normal((len(toks), N_EMBD)) * 0.05).astype(np.float32))
    for i in range(N_LAYER):
        add_block(w, rng, i, n_head, n_ff)
    w.add_tensor("output_norm.weight", np.ones(N_EMBD, dtype=np.float32))
    w.add_tensor("output.weight", (rng.standard_normal((len(toks), N_EMBD)) * 0.05).astype(np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


if __name__ == "__main__":
    main()

"""Reference point for caption4j's KV-cache benchmark: the same measurement in PyTorch itself (Python, eager).

Greedy generation of TOKENS tokens after a PREFIX-vector prefix and a start token, batch 1, every step run; without
the cache each step re-runs the whole sequence but computes the vocabulary head for the last position only, as
Gpt2Benchmark does. Random weights: only the time matters. Prints median ms per caption for both modes.
Usage: python3 gpt2_kv_reference.py LAYERS N_EMBD HEADS VOCAB [tokens=20] [prefix=10] [runs=200]
"""
import statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.c_attn, self.c_proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.c_fc, self.mlp_proj = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        self.heads = heads

    def forward(self, x, past):
        b, t, d = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=past is None and t > 1)
        x = x + self.c_proj(y.transpose(1, 2).reshape(b, t, d))
        x = x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))
        return x, (k, v)


class Gpt2(nn.Module):
    def __init__(self, layers, d, heads, vocab, positions=64):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(positions, d)
        self.h = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)

    def last_logits(self, embeds, past=None):
        start = 0 if past is None else past[0][0].shape[2]
        x = embeds + self.wpe(torch.arange(start, start + embeds.shape[1]))
        new = []
        for i, block in enumerate(self.h):
            x, kv = block(x, None if past is None else past[i])
            new.append(kv)
        return F.linear(self.ln_f(x[:, -1]), self.wte.weight), new


@torch.inference_mode()
def generate(model, prefix, tokens, cached):
    embeds = torch.cat([prefix, model.wte(torch.zeros(1, 1, dtype=torch.long))], 1)
    logits, past = model.last_logits(embeds)
    for _ in range(tokens - 1):
        token = logits.argmax(-1, keepdim=True)
        if cached:
            logits, past = model.last_logits(model.wte(token), past)
        else:
            embeds = torch.cat([embeds, model.wte(token)], 1)
            logits, _ = model.last_logits(embeds)


def main():
    layers, d, heads, vocab = (int(a) for a in sys.argv[1:5])
    tokens, prefix_len, runs = (int(a) for a in (sys.argv[5:8] + ["20", "10", "200"][len(sys.argv[5:8]):]))
    torch.manual_seed(1)
    model = Gpt2(layers, d, heads, vocab, max(64, prefix_len + tokens + 2)).eval()
    prefix = torch.randn(1, prefix_len, d)
    times = {True: [], False: []}
    for run in range(runs + 10):  # the two modes alternate; the first 10 runs warm up
        for cached in (True, False):
            t0 = time.perf_counter()
            generate(model, prefix, tokens, cached)
            if run >= 10:
                times[cached].append((time.perf_counter() - t0) * 1000)
    with_cache, without = statistics.median(times[True]), statistics.median(times[False])
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; GPT-2 {layers} layers, n_embd {d},"
          f" vocab {vocab}; batch 1: with cache {with_cache:.2f} ms, without {without:.2f} ms,"
          f" speed-up {without / with_cache:.1f}x")


if __name__ == "__main__":
    main()

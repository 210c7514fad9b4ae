#!/usr/bin/env python3
# Usage: model-tools/splice.py BASE DONOR OUT PREFIX
# Writes OUT: the safetensors file BASE with every tensor named PREFIX* taken from DONOR (same
# names, shapes and dtypes). Used to compare model versions under one scorer (PREFIX cls.,
# ADR 0021): python3 only, no torch needed.
import json, struct, sys
def read(p):
    b = open(p, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]
    h = json.loads(b[8:8 + n]); return h, b[8 + n:]
base, bdata = read(sys.argv[1]); donor, ddata = read(sys.argv[2]); prefix = sys.argv[4]
out = {}; blobs = []; off = 0
for name, t in base.items():
    if name == '__metadata__': out[name] = t; continue
    src, data = (donor[name], ddata) if name.startswith(prefix) else (t, bdata)
    assert src['shape'] == t['shape'] and src['dtype'] == t['dtype'], name
    s, e = src['data_offsets']; blob = data[s:e]
    out[name] = {'dtype': t['dtype'], 'shape': t['shape'], 'data_offsets': [off, off + len(blob)]}
    blobs.append(blob); off += len(blob)
h = json.dumps(out).encode(); h += b' ' * ((8 - len(h) % 8) % 8)
with open(sys.argv[3], 'wb') as f:
    f.write(struct.pack('<Q', len(h))); f.write(h); [f.write(x) for x in blobs]
print('spliced', sum(1 for k in out if k.startswith(prefix)), 'tensors')

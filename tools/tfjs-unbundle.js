#!/usr/bin/env node
// Turns a TensorFlow.js layers model that an npm package ships as JavaScript modules (model.min.js exporting
// {modelTopology, weightsManifest}; each weight shard a module exporting its bytes as base64, as nsfwjs does) into
// the standard files every TF.js loader reads: model.json + one binary shard. Weights are copied byte for byte.
//
// --trunk LAYER keeps only LAYER and the layers it depends on, and makes LAYER the model's output (Keras'
// Model(inputs, base.get_layer(LAYER).output)): caption4j takes a generic backbone's regions at its output layer.
// --normalization F records in userDefinedMetadata.inputNormalization how pixels v in 0..255 are to be scaled
// (v/127.5-1, the default of Keras' MobileNet and Inception; v/255; or the ImageNet mean/std formula caption4j lists).
//
//   node tools/tfjs-unbundle.js [--trunk mixed5] [--normalization v/255] \
//       node_modules/nsfwjs/dist/models/inception_v3 out/inception_v3
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const options = {};
while (args[0] === '--trunk' || args[0] === '--normalization') {
  options[args[0].slice(2)] = args[1];
  args.splice(0, 2);
}
const { trunk, normalization } = options;
const [from, to] = args;
if (!from || !to || args.length !== 2) {
  console.error('usage: tfjs-unbundle.js [--trunk LAYER] [--normalization F] BUNDLED_MODEL_DIR OUT_DIR');
  process.exit(2);
}
const model = require(path.resolve(from, 'model.min.js'));
if (!model.modelTopology || !Array.isArray(model.weightsManifest)) {
  console.error(`error: ${from}/model.min.js does not export {modelTopology, weightsManifest}`);
  process.exit(1);
}
if (model.modelTopology.node) {
  console.error(`error: ${from} is a TF.js graph model (a GraphDef); only layers models can be read`);
  process.exit(1);
}
const bytesPer = { float32: 4, int32: 4, uint8: 1, uint16: 2 };
const entryBytes = (w) => w.shape.reduce((a, b) => a * b, 1) * bytesPer[w.quantization ? w.quantization.dtype : w.dtype];

// All weights of all groups, each with its bytes.
const weights = [];
for (const group of model.weightsManifest) {
  const data = Buffer.concat(group.paths.map((shard) =>
    Buffer.from(require(path.resolve(from, `${shard}.min.js`)), 'base64')));
  let offset = 0;
  for (const w of group.weights) {
    const n = entryBytes(w);
    weights.push({ spec: w, bytes: data.subarray(offset, offset + n) });
    offset += n;
  }
  if (offset !== data.length) {
    console.error(`error: the manifest of ${group.paths} describes ${offset} bytes, the shards hold ${data.length}`);
    process.exit(1);
  }
}

const topology = model.modelTopology;
const config = (topology.model_config || topology).config;
let kept = weights;
if (trunk) {
  const byName = new Map(config.layers.map((l) => [l.name, l]));
  if (!byName.has(trunk)) {
    console.error(`error: the model has no layer '${trunk}'`);
    process.exit(1);
  }
  const needed = new Set();
  const visit = (name) => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const node of byName.get(name).inbound_nodes) for (const t of node) visit(t[0]);
  };
  visit(trunk);
  config.layers = config.layers.filter((l) => needed.has(l.name));
  config.output_layers = [[trunk, 0, 0]];
  kept = weights.filter((w) => needed.has(w.spec.name.slice(0, w.spec.name.lastIndexOf('/'))));
  delete topology.training_config;
}
fs.mkdirSync(to, { recursive: true });
const shard = 'group1-shard1of1.bin';
const data = Buffer.concat(kept.map((w) => w.bytes));
fs.writeFileSync(path.join(to, shard), data);
const json = {
  format: 'layers-model',
  modelTopology: topology,
  weightsManifest: [{ paths: [shard], weights: kept.map((w) => w.spec) }],
};
if (normalization) {
  json.userDefinedMetadata = { inputNormalization: normalization };
}
fs.writeFileSync(path.join(to, 'model.json'), JSON.stringify(json));
console.log(`${to}/model.json: ${config.layers.length} layers, ${kept.length} weights, ${data.length} bytes`
  + (trunk ? ` (trunk up to ${trunk})` : ''));

// TensorFlow.js's own outputs for a TF.js layers model, for comparing caption4j's forward pass against them:
// each fixture photo's 224 px MobileNetV2 input tensor (mobilenetv2-tm/*.input.f32, values in [-1, 1]) is resized
// bilinearly to the model's input side by tf.image.resizeBilinear (and rescaled to [0, 1] for a model whose
// userDefinedMetadata.inputNormalization is v/255), and the input and the model's output are written as
// little-endian float32 (NHWC). Read them with io.caption4j.vision.TfjsReferenceCheck.
//
//   npm install @tensorflow/tfjs@4.22.0   (pure JS, cpu backend)
//   node bench/tfjs_reference.js MODEL_DIR FIXTURE_DIR OUT_DIR
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

async function main() {
  const [modelDir, fixtures, out] = process.argv.slice(2);
  const json = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json')));
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const data = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(modelDir, p)))));
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs,
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.length) }));
  const side = model.inputs[0].shape[1];
  fs.mkdirSync(out, { recursive: true });
  for (const file of fs.readdirSync(fixtures).filter((f) => f.endsWith('.input.f32')).sort()) {
    const photo = file.slice(0, -'.input.f32'.length);
    const bytes = fs.readFileSync(path.join(fixtures, file));
    const x = tf.tensor(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4), [1, 224, 224, 3]);
    const resized = side === 224 ? x : tf.image.resizeBilinear(x, [side, side]);
    const zeroToOne = (json.userDefinedMetadata || {}).inputNormalization === 'v/255';
    const input = zeroToOne ? resized.add(1).div(2) : resized;
    const y = model.predict(input);
    fs.writeFileSync(path.join(out, `${photo}.input.f32`), Buffer.from((await input.data()).buffer));
    fs.writeFileSync(path.join(out, `${photo}.output.f32`), Buffer.from((await y.data()).buffer));
    console.log(`${photo}: input [${input.shape}], output [${y.shape}]`);
  }
}
main();

package io.caption4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.caption4j.model.io.ArrayValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter) and gradient clipping by global norm.
 *
 * <p>Written here rather than taken from DJL because a checkpoint must restore the optimizer exactly: DJL's
 * optimizers keep their moment estimates private, so training could not resume to the same state.
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final List<Pair<String, Parameter>> parameters = new ArrayList<>();
    private final Map<String, Double> learningRateScales = new LinkedHashMap<>();
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
    private long steps;

    public AdamW(PairList<String, Parameter> allParameters, NDManager manager, double weightDecay) {
        this(allParameters, manager, weightDecay, name -> 1.0);
    }

    /**
     * @param learningRateScale each parameter's learning rate as a multiple of the schedule's, by parameter name
     *     (e.g. lower for layers that start from pretrained weights)
     */
    public AdamW(PairList<String, Parameter> allParameters, NDManager manager, double weightDecay,
            ToDoubleFunction<String> learningRateScale) {
        this.beta1 = 0.9;
        this.beta2 = 0.999;
        this.epsilon = 1e-8;
        this.weightDecay = weightDecay;
        for (Pair<String, Parameter> p : allParameters) {
            if (p.getValue().requiresGradient()) {
                parameters.add(p);
                learningRateScales.put(p.getKey(), learningRateScale.applyAsDouble(p.getKey()));
                NDArray w = p.getValue().getArray();
                firstMoment.put(p.getKey(), manager.zeros(w.getShape()));
                secondMoment.put(p.getKey(), manager.zeros(w.getShape()));
            }
        }
    }

    /**
     * Scales all gradients down so their global L2 norm is at most {@code maxNorm}; returns the norm before
     * clipping (worth logging: a spike says the learning rate is too high).
     */
    public double clipGradients(double maxNorm) {
        double sumSquares = 0;
        for (Pair<String, Parameter> p : parameters) {
            NDArray g = p.getValue().getArray().getGradient();
            sumSquares += g.square().sum().getFloat();
            g.close();
        }
        double norm = Math.sqrt(sumSquares);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Pair<String, Parameter> p : parameters) {
                NDArray g = p.getValue().getArray().getGradient();
                g.muli(scale);
                g.close();
            }
        }
        return norm;
    }

    /**
     * One update with learning rate {@code schedule} (times each parameter's scale). Biases and normalisation gains
     * (1-d tensors) get no decay.
     */
    public void step(double schedule) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        for (Pair<String, Parameter> p : parameters) {
            double lr = schedule * learningRateScales.get(p.getKey());
            NDArray w = p.getValue().getArray();
            NDArray g = w.getGradient();
            NDArray m = firstMoment.get(p.getKey());
            NDArray v = secondMoment.get(p.getKey());
            m.muli(beta1).addi(g.mul(1 - beta1));
            v.muli(beta2).addi(g.square().muli(1 - beta2));
            if (weightDecay > 0 && w.getShape().dimension() > 1) {
                w.muli(1 - lr * weightDecay);
            }
            NDArray update = m.div(correction1).divi(v.div(correction2).sqrt().addi(epsilon)).muli(lr);
            w.subi(update);
            update.close();
            g.muli(0f); // backward accumulates into the gradient buffer, so it is cleared in place
            g.close();
        }
    }

    public long steps() {
        return steps;
    }

    /** The optimizer's state as named tensors, for a checkpoint. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        firstMoment.forEach((k, v) -> out.put("m." + k, v));
        secondMoment.forEach((k, v) -> out.put("v." + k, v));
        return out;
    }

    /** Restores the state saved by {@link #state()}; {@code values} maps the same names to their values. */
    public void restore(Map<String, float[]> values, long stepCount) {
        for (Map.Entry<String, NDArray> e : state().entrySet()) {
            float[] saved = values.get(e.getKey());
            if (saved == null || saved.length != e.getValue().size()) {
                throw new IllegalStateException("optimizer state does not match the model: " + e.getKey());
            }
            ArrayValues.assign(e.getValue(), saved);
        }
        steps = stepCount;
    }
}

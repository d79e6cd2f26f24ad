"""Python peer of bench/moons_run.ts: kata 02's two-moons run on a micrograd-style scalar engine.

Written from micrograd's description (not its code): a `Value` holds `data`, `grad`, the set of
operands it came from and a per-node closure that pushes its grad back; `backward()` orders the
graph depth-first and runs the closures in reverse. `Neuron`/`Layer`/`MLP` as in micrograd's
nn.py. The run mirrors bench/moons_run.ts node for node: 100 points, MLP(2, [16, 16, 1]) with
ReLU hidden layers, hinge loss mean(relu(1 - y·score)) plus 1e-4·Σp², full-batch SGD with
lr = 1 - 0.9·k/100, 100 steps. The points and initial weights come from a JSON file that
bench/moons_side_by_side.ts writes (our makeMoons and seededUniform), so both sides start equal.

  /usr/bin/python3 bench/peers/moons_micrograd.py moons.json [--steps 100]

Prints one JSON line: wall and CPU seconds, final loss, final accuracy, loss per step.
"""
import json
import math
import sys
import time

sys.setrecursionlimit(100_000)


class Value:
    def __init__(self, data, children=(), op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(children)
        self._op = op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = backward
        return out

    def __pow__(self, exponent):
        out = Value(self.data ** exponent, (self,), f"**{exponent}")

        def backward():
            self.grad += exponent * self.data ** (exponent - 1) * out.grad
        out._backward = backward
        return out

    def relu(self):
        out = Value(0.0 if self.data < 0 else self.data, (self,), "ReLU")

        def backward():
            self.grad += (1.0 if out.data > 0 else 0.0) * out.grad
        out._backward = backward
        return out

    def __truediv__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return self * other ** -1

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                for c in v._prev:
                    visit(c)
                order.append(v)
        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


class Neuron:
    def __init__(self, nin, relu):
        self.w = [Value(0.0) for _ in range(nin)]
        self.b = Value(0.0)
        self.relu = relu

    def __call__(self, x):
        act = self.b
        for wi, xi in zip(self.w, x):
            act = act + wi * xi
        return act.relu() if self.relu else act

    def parameters(self):
        return self.w + [self.b]


class Layer:
    def __init__(self, nin, nout, relu):
        self.neurons = [Neuron(nin, relu) for _ in range(nout)]

    def __call__(self, x):
        return [n(x) for n in self.neurons]

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MLP:
    def __init__(self, nin, nouts):
        sizes = [nin] + nouts
        self.layers = [Layer(sizes[i], nouts[i], i != len(nouts) - 1) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    steps = int(sys.argv[sys.argv.index("--steps") + 1]) if "--steps" in sys.argv else 100
    X, y = spec["X"], spec["y"]
    model = MLP(2, [16, 16, 1])
    params = model.parameters()
    assert len(params) == len(spec["params"]), (len(params), len(spec["params"]))
    for p, v in zip(params, spec["params"]):
        p.data = v
    alpha = 1e-4
    losses = []
    t0, c0 = time.perf_counter(), time.process_time()
    for k in range(steps):
        scores = [model(x)[0] for x in X]
        total = Value(0.0)
        for s, yi in zip(scores, y):
            total = total + (s * -yi + 1).relu()
        hinge = total / len(scores)
        reg = Value(0.0)
        for p in params:
            reg = reg + p * p
        loss = hinge + reg * alpha
        for p in params:
            p.grad = 0.0
        loss.backward()
        lr = 1 - 0.9 * k / steps
        for p in params:
            p.data -= lr * p.grad
        right = sum(1 for s, yi in zip(scores, y) if (s.data > 0) == (yi > 0))
        losses.append(loss.data)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"python": sys.version.split()[0], "seconds": seconds, "cpu_seconds": cpu,
                      "loss": losses[-1], "accuracy": right / len(y), "losses": losses}))


if __name__ == "__main__":
    main()

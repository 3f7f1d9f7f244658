#ifndef CTNN_EXAMPLES_FIRMWARE_SINE_HAND_LOOP_HPP
#define CTNN_EXAMPLES_FIRMWARE_SINE_HAND_LOOP_HPP

// The sine model (1 -> 16 relu -> 16 relu -> 1 identity) evaluated by plain loops, as one
// writes it in C without a library: the baseline that ctnn's net(x) is measured against, over
// the same weights in the same firmware. `p` points to the 321 parameters in ctnn's layout
// (net.parameters()): per layer, the weights row-major [out][in], then the biases.
//
// Each unit's sum starts from its bias and adds the products in input order. ctnn sums in the
// order its kernels define (the products in partial sums, added pairwise, then the bias), so
// the two results may differ by rounding. The firmware test bounds both against a
// double-precision evaluation of the same weights (train_sine.cpp).

namespace fw {

constexpr float sine_hand_loop(float const* p, float x)
{
    float const* const w1 = p; // [16][1]
    float const* const b1 = p + 16;
    float const* const w2 = p + 32; // [16][16]
    float const* const b2 = p + 288;
    float const* const w3 = p + 304; // [1][16]
    float const b3 = p[320];

    float h1[16];
    for (int o = 0; o < 16; ++o) {
        float const z = b1[o] + w1[o] * x;
        h1[o] = z > 0.0f ? z : 0.0f;
    }
    float h2[16];
    for (int o = 0; o < 16; ++o) {
        float z = b2[o];
        for (int i = 0; i < 16; ++i) {
            z += w2[16 * o + i] * h1[i];
        }
        h2[o] = z > 0.0f ? z : 0.0f;
    }
    float y = b3;
    for (int i = 0; i < 16; ++i) {
        y += w3[i] * h2[i];
    }
    return y;
}

} // namespace fw

#endif

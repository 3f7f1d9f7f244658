// Normalisation helpers and the train/validation split: what they compute,
// what they take (every form of data set fit takes), and their errors.

#define BOOST_TEST_MODULE io_dataset
#include <boost/test/unit_test.hpp>

#include <ctnn/io/dataset.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

BOOST_AUTO_TEST_CASE(standardization_gives_zero_mean_unit_variance)
{
    std::vector<std::array<double, 2>> x{{1, 10}, {2, 10}, {3, 10}, {6, 10}};
    auto const f = ctnn::io::fit_standardization(x);
    BOOST_TEST(f.offset[0] == 3.0);                     // mean of 1, 2, 3, 6
    BOOST_TEST(std::abs(f.scale[0] - 1 / std::sqrt(3.5)) < 1e-15); // population variance 14/4
    BOOST_TEST(f.scale[1] == 1.0);                      // constant feature: centred only
    f.apply(x);
    double mean = 0;
    double squares = 0;
    for (auto const& s : x) {
        mean += s[0];
        squares += s[0] * s[0];
        BOOST_TEST(s[1] == 0.0);
    }
    BOOST_TEST(std::abs(mean) < 1e-15);
    BOOST_TEST(std::abs(squares / 4 - 1) < 1e-15);
}

BOOST_AUTO_TEST_CASE(min_max_maps_onto_the_unit_interval)
{
    std::vector<std::array<float, 1>> x{{-2}, {0}, {6}};
    ctnn::io::fit_min_max(x).apply(x);
    BOOST_TEST(x[0][0] == 0.0f);
    BOOST_TEST(x[1][0] == 0.25f);
    BOOST_TEST(x[2][0] == 1.0f);
}

BOOST_AUTO_TEST_CASE(split_keeps_pairs_and_sizes)
{
    std::vector<std::array<float, 1>> x(100);
    std::vector<std::size_t> t(100);
    for (std::size_t i = 0; i < 100; ++i) {
        x[i][0] = static_cast<float>(i);
        t[i] = i;
    }
    auto const result = ctnn::io::train_validation_split(x, t, 0.2, 7);
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(result), result.error);
    auto const& split = result.data;
    BOOST_TEST(split.validation_samples.size() == 20U);
    BOOST_TEST(split.train_samples.size() == 80U);
    std::vector<std::size_t> all;
    for (std::size_t i = 0; i < 80; ++i) {
        BOOST_TEST(split.train_samples[i][0] == static_cast<float>(split.train_targets[i]));
        all.push_back(split.train_targets[i]);
    }
    for (std::size_t i = 0; i < 20; ++i) {
        BOOST_TEST(split.validation_samples[i][0] == static_cast<float>(split.validation_targets[i]));
        all.push_back(split.validation_targets[i]);
    }
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < 100; ++i) {
        BOOST_TEST(all[i] == i);
    }
    // Seeded: the same seed, the same split; another seed, another split.
    auto const again = ctnn::io::train_validation_split(x, t, 0.2, 7);
    auto const other = ctnn::io::train_validation_split(x, t, 0.2, 8);
    BOOST_TEST(again.data.validation_targets == split.validation_targets, boost::test_tools::per_element());
    BOOST_TEST(other.data.validation_targets != split.validation_targets);
}

BOOST_AUTO_TEST_CASE(the_fraction_is_the_validation_share_and_is_checked)
{
    std::vector<std::array<float, 1>> const x(10);
    std::vector<std::size_t> const t(10);
    for (double const fraction : {0.0, 0.25, 1.0}) {
        auto const r = ctnn::io::train_validation_split(x, t, fraction, 1);
        BOOST_REQUIRE_MESSAGE(static_cast<bool>(r), r.error);
        // round(fraction · 10): 0, 2.5 → 3 (halves away from zero), 10.
        std::size_t const expected = fraction == 0.25 ? 3U : static_cast<std::size_t>(fraction * 10);
        BOOST_TEST(r.data.validation_samples.size() == expected);
        BOOST_TEST(r.data.train_samples.size() == 10U - expected);
    }
    for (double const bad : {-0.1, 1.5, 1e300, -1e300, std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::infinity()}) {
        auto const r = ctnn::io::train_validation_split(x, t, bad, 1);
        BOOST_TEST(!r, bad);
        BOOST_TEST(r.error.find("train_validation_split: expected a validation fraction in [0, 1], found") == 0U,
                   r.error);
        BOOST_TEST(r.data.train_samples.empty());
        BOOST_TEST(r.data.validation_samples.empty());
    }
}

BOOST_AUTO_TEST_CASE(the_split_needs_a_target_per_sample)
{
    std::vector<std::array<float, 1>> const x(320);
    std::vector<std::size_t> const t(10);
    auto const r = ctnn::io::train_validation_split(x, t, 0.2, 1);
    BOOST_TEST(!r);
    BOOST_TEST(r.error == "train_validation_split: expected as many targets as samples, found 320 samples and 10 targets");
}

BOOST_AUTO_TEST_CASE(helpers_take_every_form_of_data_set)
{
    // The forms fit takes: a vector, a std::array, a span of either, const or not.
    std::vector<std::array<double, 2>> vec{{1, 4}, {3, 8}};
    std::array<std::array<double, 2>, 2> arr{{{1, 4}, {3, 8}}};
    std::span<std::array<double, 2>> const mutable_span(vec);
    std::span<std::array<double, 2> const> const const_span(vec);
    std::vector<std::array<double, 2>> const const_vec = vec;
    auto const reference = ctnn::io::fit_min_max(vec);
    BOOST_TEST(reference.offset[1] == 4.0);
    BOOST_TEST(reference.scale[1] == 0.25);
    auto const same = [&](auto const& f) { return f.offset == reference.offset && f.scale == reference.scale; };
    BOOST_TEST(same(ctnn::io::fit_min_max(arr)));
    BOOST_TEST(same(ctnn::io::fit_min_max(mutable_span)));
    BOOST_TEST(same(ctnn::io::fit_min_max(const_span)));
    BOOST_TEST(same(ctnn::io::fit_min_max(const_vec)));
    auto const standard = ctnn::io::fit_standardization(vec);
    BOOST_TEST(standard.offset[0] == 2.0);
    BOOST_TEST(standard.scale[0] == 1.0); // deviation of {1, 3}: 1
    BOOST_TEST(ctnn::io::fit_standardization(mutable_span).offset == standard.offset);
    BOOST_TEST(ctnn::io::fit_standardization(arr).scale == standard.scale);

    std::array<std::size_t, 2> labels{0, 1};
    std::span<std::size_t> const label_span(labels);
    auto const split = ctnn::io::train_validation_split(mutable_span, label_span, 0.5, 3);
    BOOST_REQUIRE_MESSAGE(static_cast<bool>(split), split.error);
    BOOST_TEST(split.data.train_samples.size() == 1U);
    auto const from_arrays = ctnn::io::train_validation_split(arr, labels, 0.5, 3);
    BOOST_TEST(from_arrays.data.train_targets == split.data.train_targets, boost::test_tools::per_element());
}

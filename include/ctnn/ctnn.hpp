#ifndef CTNN_CTNN_HPP
#define CTNN_CTNN_HPP

/// \file
/// The umbrella header: everything in the firmware subset of ctnn.

#include <ctnn/activation.hpp>
#include <ctnn/finite.hpp>
#include <ctnn/gradient.hpp>
#include <ctnn/init.hpp>
#include <ctnn/layer/dense.hpp>
#include <ctnn/layer/dropout.hpp>
#include <ctnn/loss.hpp>
#include <ctnn/math.hpp>
#include <ctnn/metrics.hpp>
#include <ctnn/network.hpp>
#include <ctnn/serialize.hpp>
#include <ctnn/optim.hpp>
#include <ctnn/predict.hpp>
#include <ctnn/random.hpp>
#include <ctnn/sym.hpp>
#include <ctnn/version.hpp>
#include <ctnn/train.hpp>
#include <ctnn/train_step.hpp>

#endif

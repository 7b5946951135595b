#include "neural/induction/internal/induction_net.h"

#include <algorithm>
#include <limits>

#include "dsl/text.h"
#include "neural/tokens.h"

namespace flashsynth::neural::internal {

namespace {

// Probabilities are floored here before the log (the pointer's mixture).
constexpr double kMinProbability = 1e-12;
// Ids the model reads but never writes.
constexpr int64_t kNeverWritten[] = {kCharPad, kCharBos, kCharUnk, kCharSeparator};

// One character of a string as the model reads it.
struct CharPiece {
  int id;
  std::string_view text;  // its bytes; empty for a separator or EOS
};

// `text`'s characters, at most `max_chars`, read as EncodeText() does: code
// points of valid UTF-8, else one per byte.
void AppendChars(std::string_view text, int max_chars, std::vector<CharPiece>* out) {
  const bool utf8 = dsl::IsValidUtf8(text);
  size_t pos = 0;
  for (int n = 0; pos < text.size() && n < max_chars; ++n) {
    const size_t start = pos;
    const int id = utf8 ? CharId(dsl::DecodeUtf8(text, &pos))
                        : CharId(static_cast<unsigned char>(text[pos++]));
    out->push_back(CharPiece{id, text.substr(start, pos - start)});
  }
}

// EncodeRow()'s ids with each character's bytes.
std::vector<CharPiece> RowPieces(const dsl::Row& row, int max_chars) {
  std::vector<CharPiece> pieces;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) pieces.push_back(CharPiece{kCharSeparator, {}});
    AppendChars(row[i], max_chars, &pieces);
  }
  if (static_cast<int>(pieces.size()) > max_chars) pieces.resize(static_cast<size_t>(max_chars));
  pieces.push_back(CharPiece{kCharEos, {}});
  return pieces;
}

int ExtraId(std::string_view text, const std::vector<std::string>& extra_chars) {
  for (size_t k = 0; k < extra_chars.size(); ++k) {
    if (extra_chars[k] == text) return kCharVocabSize + static_cast<int>(k);
  }
  return kCharUnk;
}

void AddTargets(absl::Span<const QueryRow> queries, int max_chars, InductionBatch* b) {
  std::vector<std::vector<int>> in, out;
  for (size_t q = 0; q < queries.size(); ++q) {
    std::vector<int> ids = EncodeTarget(*queries[q].output, max_chars, b->extra_chars[q]);
    in.push_back({kCharBos});
    in.back().insert(in.back().end(), ids.begin(), ids.end());
    ids.push_back(kCharEos);
    out.push_back(std::move(ids));
  }
  b->target_in = PadRows(in, nullptr);
  b->target_out = PadRows(out, nullptr);
}

}  // namespace

// ---------------------------------------------------------------------------
// Batches.

std::vector<std::string> ExtraChars(const dsl::Row& row, int max_chars) {
  std::vector<std::string> extra;
  for (const CharPiece& p : RowPieces(row, max_chars)) {
    if (p.id == kCharUnk && ExtraId(p.text, extra) == kCharUnk &&
        static_cast<int>(extra.size()) < kMaxExtraChars) {
      extra.emplace_back(p.text);
    }
  }
  return extra;
}

std::vector<int> EncodeTarget(std::string_view text, int max_chars,
                              const std::vector<std::string>& extra_chars) {
  std::vector<CharPiece> pieces;
  AppendChars(text, max_chars, &pieces);
  std::vector<int> ids;
  for (const CharPiece& p : pieces) {
    ids.push_back(p.id == kCharUnk ? ExtraId(p.text, extra_chars) : p.id);
  }
  return ids;
}

InductionBatch MakeInductionBatch(absl::Span<const IoExamples* const> tasks,
                                  absl::Span<const QueryRow> queries, int max_chars, bool pointer,
                                  torch::Device device) {
  InductionBatch b;
  b.observed = MakeExampleBatch(tasks, max_chars, device);
  b.num_queries = static_cast<int64_t>(queries.size());
  const int64_t n = b.observed.num_examples;
  std::vector<int64_t> rows, query_tasks;
  std::vector<std::vector<int>> inputs, copies;
  size_t most_extra = 0;
  for (const QueryRow& q : queries) {
    query_tasks.push_back(q.task);
    for (int64_t j = 0; j < n; ++j) rows.push_back(q.task * n + j);
    b.extra_chars.push_back(pointer ? ExtraChars(*q.input, max_chars) : std::vector<std::string>());
    most_extra = std::max(most_extra, b.extra_chars.back().size());
    std::vector<int>& ids = inputs.emplace_back();
    std::vector<int>& copy = copies.emplace_back();
    for (const CharPiece& p : RowPieces(*q.input, max_chars)) {
      ids.push_back(p.id);
      if (p.id == kCharSeparator) {
        copy.push_back(kCharPad);
      } else if (p.id == kCharUnk) {
        const int extra = ExtraId(p.text, b.extra_chars.back());
        copy.push_back(extra == kCharUnk ? kCharPad : extra);
      } else {
        copy.push_back(p.id);
      }
    }
  }
  b.output_size = kCharVocabSize + static_cast<int64_t>(most_extra);
  b.observed_rows = torch::tensor(rows, torch::kInt64).to(device);
  b.example_mask =
      b.observed.example_mask.index_select(0, torch::tensor(query_tasks, torch::kInt64).to(device));
  b.query_inputs = PadRows(inputs, &b.query_lengths).to(device);
  b.copy_ids = PadRows(copies, nullptr).to(device);
  const bool targets = !queries.empty() && std::all_of(queries.begin(), queries.end(),
                                                       [](const QueryRow& q) { return q.output; });
  if (targets) {
    AddTargets(queries, max_chars, &b);
    b.target_in = b.target_in.to(device);
    b.target_out = b.target_out.to(device);
  }
  return b;
}

InductionEncoding InductionEncoding::Select(const torch::Tensor& queries) const {
  const int64_t n = example_mask.size(1);
  const torch::Tensor rows =
      (queries.unsqueeze(1) * n + torch::arange(n, queries.options())).reshape({-1});
  InductionEncoding e;
  e.output_states = output_states.index_select(0, rows);
  e.output_mask = output_mask.index_select(0, rows);
  e.query_states = query_states.index_select(0, rows);
  e.query_mask = query_mask.index_select(0, rows);
  e.example_mask = example_mask.index_select(0, queries);
  e.pointer_states = pointer_states.index_select(0, queries);
  e.copy_ids = copy_ids.index_select(0, queries);
  e.output_size = output_size;
  e.initial = RecurrentState{initial.h.index_select(1, rows), initial.c.index_select(1, rows)};
  return e;
}

// ---------------------------------------------------------------------------
// The network.

InductionNetImpl::InductionNetImpl(const InductionConfig& config) : config_(config) {
  const int64_t e = config.embedding_size, h = config.hidden_size, layers = config.num_layers;
  char_embedding_ = register_module(
      "char_embedding",
      torch::nn::Embedding(torch::nn::EmbeddingOptions(kCharVocabSize, e).padding_idx(kCharPad)));
  input_encoder_ = register_module(
      "input_encoder",
      torch::nn::LSTM(torch::nn::LSTMOptions(e, h).num_layers(layers).batch_first(true)));
  output_to_input_ = register_module("output_to_input", Attention(h + e, h));
  output_cells_ = register_module("output_cells", CellStack(e + h, h, layers));
  query_encoder_ = register_module(
      "query_encoder",
      torch::nn::LSTM(torch::nn::LSTMOptions(e, h).num_layers(layers).batch_first(true)));
  decoder_to_output_ = register_module("decoder_to_output", Attention(h + e, h));
  decoder_to_query_ = register_module("decoder_to_query", Attention(h + e + h, h));
  decoder_cells_ = register_module("decoder_cells", CellStack(e + 2 * h, h, layers));
  pool_ = register_module("pool", torch::nn::Linear(h, h));
  generator_ = register_module("generator", torch::nn::Linear(h, kCharVocabSize));
  if (config.architecture == InductionArchitecture::kPointer) {
    pointer_ = register_module("pointer", Attention(h, h));
    gate_ = register_module("gate", torch::nn::Linear(h + h + e, 1));
  }
}

InductionEncoding InductionNetImpl::Encode(const InductionBatch& batch) {
  const ExampleBatch& observed = batch.observed;
  const torch::Tensor input_mask = observed.inputs.ne(kCharPad);
  auto [input_states, input_final] = RunPacked(
      input_encoder_, char_embedding_->forward(observed.inputs), observed.input_lengths);
  auto [output_states, output_final] =
      EncodeOutputs(observed, input_states, input_mask, input_final);
  const torch::Tensor& rows = batch.observed_rows;
  const int64_t n = observed.num_examples;
  InductionEncoding enc;
  enc.output_states = output_states.index_select(0, rows);
  enc.output_mask = observed.outputs.ne(kCharPad).index_select(0, rows);
  enc.initial = RecurrentState{output_final.h.index_select(1, rows),
                               output_final.c.index_select(1, rows)};
  enc.pointer_states = RunPacked(query_encoder_, char_embedding_->forward(batch.query_inputs),
                                 batch.query_lengths).first;
  enc.query_states = enc.pointer_states.repeat_interleave(n, /*dim=*/0);
  enc.query_mask = batch.query_inputs.ne(kCharPad).repeat_interleave(n, /*dim=*/0);
  enc.example_mask = batch.example_mask;
  enc.copy_ids = batch.copy_ids;
  enc.output_size = batch.output_size;
  return enc;
}

// RobustFill's Attention-A output encoder (layers.h's EncodeAttending()).
std::pair<torch::Tensor, RecurrentState> InductionNetImpl::EncodeOutputs(
    const ExampleBatch& observed, const torch::Tensor& input_states,
    const torch::Tensor& input_mask, const RecurrentState& start) {
  return EncodeAttending(output_to_input_, output_cells_, char_embedding_->forward(observed.outputs),
                         observed.outputs.ne(kCharPad), input_states, input_mask, start);
}

std::pair<torch::Tensor, RecurrentState> InductionNetImpl::Step(const InductionEncoding& enc,
                                                                const RecurrentState& state,
                                                                const torch::Tensor& previous) {
  const int64_t slots = enc.example_mask.size(1);
  // An extra (copy-only) character is read as the unknown one.
  const torch::Tensor shown =
      previous.masked_fill(previous.ge(kCharVocabSize), static_cast<int64_t>(kCharUnk));
  const torch::Tensor x = char_embedding_->forward(shown);
  const torch::Tensor xr = x.repeat_interleave(slots, /*dim=*/0);
  const torch::Tensor query = torch::cat({state.h[-1], xr}, /*dim=*/1);
  torch::Tensor on_output = decoder_to_output_->forward(query, enc.output_states, enc.output_mask);
  torch::Tensor on_query = decoder_to_query_->forward(torch::cat({query, on_output}, /*dim=*/1),
                                                      enc.query_states, enc.query_mask);
  RecurrentState next =
      decoder_cells_->forward(torch::cat({xr, on_output, on_query}, /*dim=*/1), state);
  // Late pooling over each query's real examples.
  const torch::Tensor pooled = LatePool(pool_, next.h[-1], enc.example_mask);
  const torch::Tensor never = torch::tensor(
      std::vector<int64_t>(std::begin(kNeverWritten), std::end(kNeverWritten)),
      torch::TensorOptions().dtype(torch::kInt64).device(pooled.device()));
  const torch::Tensor logits = generator_->forward(pooled).index_fill(1, never, kMaskedScore);
  if (config_.architecture == InductionArchitecture::kLstmAttention) {
    return {torch::log_softmax(logits, /*dim=*/1), next};
  }
  return {PointerGenerator(enc, pooled, logits, x), next};
}

// P(c) = p_gen * softmax(logits)(c) + (1 - p_gen) * sum of the pointer's
// weights on the query positions holding c.
torch::Tensor InductionNetImpl::PointerGenerator(const InductionEncoding& enc,
                                                 const torch::Tensor& pooled,
                                                 const torch::Tensor& logits,
                                                 const torch::Tensor& previous) {
  const torch::Tensor weights =
      pointer_->Weights(pooled, enc.pointer_states, enc.copy_ids.ne(kCharPad));
  const torch::Tensor context =
      torch::bmm(weights.unsqueeze(1), enc.pointer_states).squeeze(1);
  const torch::Tensor p_gen =
      torch::sigmoid(gate_->forward(torch::cat({pooled, context, previous}, /*dim=*/1)));
  torch::Tensor generated = torch::softmax(logits, /*dim=*/1) * p_gen;
  const int64_t extra = enc.output_size - kCharVocabSize;
  if (extra > 0) {
    generated = torch::cat({generated, torch::zeros({generated.size(0), extra},
                                                    generated.options())}, /*dim=*/1);
  }
  const torch::Tensor mixed = generated.scatter_add(1, enc.copy_ids, weights * (1 - p_gen));
  return torch::log(mixed.clamp_min(kMinProbability));
}

torch::Tensor InductionNetImpl::forward(const InductionBatch& batch) {
  const InductionEncoding enc = Encode(batch);
  RecurrentState s = enc.initial;
  std::vector<torch::Tensor> steps;
  for (int64_t t = 0; t < batch.target_in.size(1); ++t) {
    torch::Tensor log_probs;
    std::tie(log_probs, s) = Step(enc, s, batch.target_in.select(/*dim=*/1, t));
    steps.push_back(log_probs);
  }
  return torch::stack(steps, /*dim=*/1);
}

CharLoss InductionLoss(const torch::Tensor& log_probs, const torch::Tensor& targets) {
  const torch::Tensor real = targets.ne(kCharPad) & targets.ne(kCharUnk);
  const torch::Tensor safe = targets.masked_fill(real.logical_not(), 0);
  const torch::Tensor picked = log_probs.gather(/*dim=*/2, safe.unsqueeze(2)).squeeze(2);
  CharLoss out;
  out.total = real.sum().item<int64_t>();
  out.loss = -picked.masked_fill(real.logical_not(), 0.0).sum() /
             static_cast<double>(std::max<int64_t>(1, out.total));
  torch::NoGradGuard no_grad;
  out.correct = (log_probs.argmax(/*dim=*/-1).eq(targets) & real).sum().item<int64_t>();
  return out;
}

// ---------------------------------------------------------------------------
// Beam search.

namespace {

struct Hypothesis {
  int query = 0;
  std::vector<int> ids;  // characters written, EOS excluded
  double score = 0;      // log-probability
};

struct Extension {
  int parent;  // index into the live hypotheses
  int id;
  double score;
};

// The `beam` best characters after hypothesis `h`, among those query
// `h.query` may write.
void Extend(const Hypothesis& h, int parent, const float* log_probs, int64_t width,
            int64_t output_size, int beam, std::vector<Extension>* out) {
  std::vector<int> ids;
  for (int64_t id = 0; id < output_size; ++id) {
    if (id == kCharEos || (id >= kCharFirstPrintable && id < width)) ids.push_back(static_cast<int>(id));
  }
  const size_t keep = std::min(ids.size(), static_cast<size_t>(beam));
  std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(keep), ids.end(),
                    [&](int a, int b) { return log_probs[a] > log_probs[b]; });
  for (size_t i = 0; i < keep; ++i) {
    out->push_back(Extension{parent, ids[i], h.score + log_probs[ids[i]]});
  }
}

std::string Text(const std::vector<int>& ids, const std::vector<std::string>& extra_chars) {
  std::string text;
  for (int id : ids) {
    if (id >= kCharVocabSize) {
      text += extra_chars[static_cast<size_t>(id - kCharVocabSize)];
    } else {
      text += static_cast<char>(' ' + (id - kCharFirstPrintable));
    }
  }
  return text;
}

double BestScore(const std::vector<Hypothesis>& hs) {
  double best = -std::numeric_limits<double>::infinity();
  for (const Hypothesis& h : hs) best = std::max(best, h.score);
  return best;
}

torch::Tensor Int64Tensor(const std::vector<int64_t>& v, torch::Device device) {
  return torch::tensor(v, torch::kInt64).to(device);
}

// The hypotheses of every query. A hypothesis ends at EOS or at max_chars
// characters (cut); a query is decided when `beam` have ended or an ended
// one beats every live one (scores only fall).
class Beams {
 public:
  Beams(int64_t queries, int beam, int max_chars)
      : beam_(beam), max_chars_(max_chars), finished_(static_cast<size_t>(queries)) {
    for (int64_t q = 0; q < queries; ++q) {
      Hypothesis empty{static_cast<int>(q), {}, 0};
      if (max_chars <= 0) {
        finished_[static_cast<size_t>(q)].push_back(empty);
      } else {
        live_.push_back(empty);
      }
    }
  }

  bool done() const { return live_.empty(); }

  // The decoder's next input for each live hypothesis.
  std::vector<int64_t> LastIds() const {
    std::vector<int64_t> ids;
    for (const Hypothesis& h : live_) ids.push_back(h.ids.empty() ? kCharBos : h.ids.back());
    return ids;
  }

  std::vector<int64_t> LiveQueries() const {
    std::vector<int64_t> queries;
    for (const Hypothesis& h : live_) queries.push_back(h.query);
    return queries;
  }

  // Extends the live hypotheses with `log_probs` ([live, V] on the CPU) and
  // keeps each query's best. Returns the parent (index into the previous
  // live hypotheses) of each new live one.
  std::vector<int64_t> Advance(const torch::Tensor& log_probs, const InductionBatch& batch) {
    const int64_t v = log_probs.size(1);
    std::vector<std::vector<Extension>> by_query(finished_.size());
    for (size_t i = 0; i < live_.size(); ++i) {
      const Hypothesis& h = live_[i];
      const auto width = static_cast<int64_t>(
          kCharVocabSize + batch.extra_chars[static_cast<size_t>(h.query)].size());
      Extend(h, static_cast<int>(i), log_probs.data_ptr<float>() + static_cast<int64_t>(i) * v,
             width, v, beam_, &by_query[static_cast<size_t>(h.query)]);
    }
    std::vector<Hypothesis> next;
    std::vector<int64_t> parents;
    for (size_t q = 0; q < by_query.size(); ++q) Keep(q, std::move(by_query[q]), &next, &parents);
    live_ = std::move(next);
    return parents;
  }

  // The best ended hypothesis of query `q` as text.
  std::string Best(size_t q, const std::vector<std::string>& extra_chars) const {
    const std::vector<Hypothesis>& done = finished_[q];
    auto best = std::max_element(done.begin(), done.end(),
                                 [](const Hypothesis& a, const Hypothesis& b) { return a.score < b.score; });
    return best == done.end() ? std::string() : Text(best->ids, extra_chars);
  }

 private:
  void Keep(size_t q, std::vector<Extension> ext, std::vector<Hypothesis>* next,
            std::vector<int64_t>* parents) {
    std::vector<Hypothesis>& done = finished_[q];
    std::sort(ext.begin(), ext.end(),
              [](const Extension& a, const Extension& b) { return a.score > b.score; });
    if (ext.size() > static_cast<size_t>(beam_)) ext.resize(static_cast<size_t>(beam_));
    std::vector<Hypothesis> kept;
    std::vector<int64_t> kept_parents;
    for (const Extension& e : ext) {
      Hypothesis h{static_cast<int>(q), live_[static_cast<size_t>(e.parent)].ids, e.score};
      if (e.id != kCharEos) h.ids.push_back(e.id);
      if (e.id == kCharEos || static_cast<int>(h.ids.size()) >= max_chars_) {
        done.push_back(std::move(h));
      } else {
        kept.push_back(std::move(h));
        kept_parents.push_back(e.parent);
      }
    }
    if (static_cast<int>(done.size()) >= beam_ || (!done.empty() && BestScore(done) >= BestScore(kept))) {
      return;  // decided
    }
    for (Hypothesis& h : kept) next->push_back(std::move(h));
    parents->insert(parents->end(), kept_parents.begin(), kept_parents.end());
  }

  int beam_;
  int max_chars_;
  std::vector<Hypothesis> live_;
  std::vector<std::vector<Hypothesis>> finished_;  // per query
};

}  // namespace

std::vector<std::string> DecodeOutputs(InductionNet& net, const InductionBatch& batch,
                                       int beam_size, int max_chars) {
  torch::NoGradGuard no_grad;
  Beams beams(batch.num_queries, beam_size, max_chars);
  if (!beams.done()) {
    const InductionEncoding full = net->Encode(batch);
    const torch::Device device = full.copy_ids.device();
    const int64_t slots = batch.observed.num_examples;
    InductionEncoding enc = full;
    RecurrentState state = full.initial;
    while (true) {
      auto [log_probs, next] = net->Step(enc, state, Int64Tensor(beams.LastIds(), device));
      const std::vector<int64_t> parents =
          beams.Advance(log_probs.to(torch::kCPU, torch::kFloat).contiguous(), batch);
      if (beams.done()) break;
      // Decoder row p*N + j of the last step feeds the children of hypothesis p.
      std::vector<int64_t> rows;
      for (int64_t p : parents) {
        for (int64_t j = 0; j < slots; ++j) rows.push_back(p * slots + j);
      }
      const torch::Tensor row_index = Int64Tensor(rows, device);
      state = RecurrentState{next.h.index_select(1, row_index), next.c.index_select(1, row_index)};
      enc = full.Select(Int64Tensor(beams.LiveQueries(), device));
    }
  }
  std::vector<std::string> texts;
  for (size_t q = 0; q < static_cast<size_t>(batch.num_queries); ++q) {
    texts.push_back(beams.Best(q, batch.extra_chars[q]));
  }
  return texts;
}

}  // namespace flashsynth::neural::internal

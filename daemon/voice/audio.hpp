#pragma once

// Mono 16-bit PCM and the maths the announcer applies to it: WAV encoding and decoding
// (bytes in, bytes out), level normalisation, fades at the joins, concatenation, the
// chime. Pure: no files, no sound card.

#include "util/result.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace motcua::voice
{

struct Pcm
{
    int rate = 22050; // samples per second
    std::vector<std::int16_t> samples;

    double seconds() const { return rate > 0 ? static_cast<double>(samples.size()) / rate : 0.0; }
};

// A RIFF/WAVE file of 16-bit PCM, one channel. Anything else is an Error naming what is
// wrong (code "bad_wav"): not RIFF/WAVE, not PCM, not 16-bit, not mono, truncated.
Result<Pcm> decode_wav(std::span<const std::uint8_t> bytes);
std::vector<std::uint8_t> encode_wav(const Pcm& pcm);

// Root mean square as a fraction of full scale (0..1).
double rms_level(std::span<const std::int16_t> samples);
// Scales the samples so their RMS is `target` (fraction of full scale), never letting the
// peak pass `peak_limit`. Silence stays silence.
void normalise_level(std::vector<std::int16_t>& samples, double target, double peak_limit = 0.95);
// Linear fade-in over the first `n` samples and fade-out over the last `n`.
void fade_edges(std::vector<std::int16_t>& samples, std::size_t n);

struct JoinStyle
{
    double level = 0.15; // RMS every part is brought to
    int fade_ms = 5;     // fade at each edge of each part
    int gap_ms = 40;     // silence between parts
    int pause_ms = 250;  // silence for a pause marker (a comma in the text)
};

// One buffer from the parts, in order: each part level-normalised and faded at its
// edges, `gap_ms` of silence between parts. A null part is a pause. All parts must be at
// `rate` (the caller checks; a part at another rate is an Error).
Result<Pcm> join(const std::vector<const Pcm*>& parts, int rate, const JoinStyle& style);

// `pcm` said `times` times with `gap_ms` of silence between.
Pcm repeat(const Pcm& pcm, int times, int gap_ms);
// `first` then `second` with `gap_ms` between (a chime before the words).
Pcm concat(const Pcm& first, const Pcm& second, int gap_ms);

// A two-tone chime (ding-dong, about 0.9 s) for voices without a chime clip.
Pcm chime(int rate);
// A sine tone with a short attack and decay (test clip packs, the chime).
Pcm tone(int rate, double hz, int ms, double level);

} // namespace motcua::voice

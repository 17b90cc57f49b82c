#pragma once

// The journal's checkpoint and the check motcuad runs at start, periodically and at a
// clean stop (docs/journal.md, "Checked at start"). The checkpoint says: rows 1..seq were
// verified, and row seq had this hash. A check starts there instead of at row 1, so a
// start stays fast on a journal of millions of rows, but it also covers every row the
// queue replays. The checkpoint is itself checked: when row seq no longer has that hash
// (rows rewritten or removed), the whole journal is verified and the journal is broken.
//
// Breaks an administrator acknowledged ("journal.acknowledged" rows, payload
// {"first_bad_seq": N, …}) are accepted as they are: the check goes on past them.

#include "store/database.hpp"
#include "store/journal.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace motcua::store
{

inline constexpr std::string_view kind_journal_acknowledged = "journal.acknowledged";

struct Checkpoint
{
    std::int64_t seq = 0;
    std::string hash;
};

struct JournalCheck
{
    bool intact = true;
    std::int64_t first_bad_seq = 0; // 0 when intact
    std::string reason;             // "" when intact
    std::int64_t from_seq = 1;      // first row checked
    std::int64_t rows = 0;          // rows checked
    bool checkpoint_used = false;   // false: no (valid) checkpoint, checked from row 1
    Checkpoint end;                 // the last row: the next checkpoint when intact
};

class Checkpoints
{
  public:
    explicit Checkpoints(Database& db);

    Result<std::optional<Checkpoint>> load();
    // Replaces the checkpoint (its own transaction, or the caller's).
    Result<void> save(const Checkpoint& cp);

    // The seqs of acknowledged breaks.
    Result<std::set<std::int64_t>> acknowledged();

    // Checks the chain from the checkpoint (or from `must_cover_from` when that is
    // earlier) to the last row. Does not write.
    Result<JournalCheck> check(Journal& journal, std::int64_t must_cover_from);

  private:
    Database& db_;
};

} // namespace motcua::store

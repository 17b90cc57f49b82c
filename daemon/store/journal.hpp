#pragma once

// The append-only, hash-chained journal shared by the queue (tickets), the dossier register
// and ratings. Every row carries the SHA-256 of its own content and of the previous row's
// hash, so a changed, removed or inserted row breaks the chain at a row verify() names.
// The table refuses UPDATE and DELETE (triggers), see store/schema.cpp and docs/journal.md.
//
// Kinds: the queue's kinds have no dot ("issued", "day_opened"); other modules prefix
// theirs with their area and a dot ("dossier.received", "rating.given").

#include "store/database.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::store
{

inline constexpr int current_journal_scheme = 2;

struct JournalRow
{
    std::int64_t seq = 0;       // assigned by append(): 1, 2, 3 …
    std::string kind;           // "issued", "dossier.received" …
    WallTime wall{};            // wall clock when it happened
    std::int64_t mono_ns = 0;   // monotonic clock when it happened
    int counter = 0;            // 0: no counter
    std::string officer;        // "" when none
    std::int64_t ticket = 0;    // 0: no ticket
    std::string payload = "{}"; // compact JSON object with the kind-specific fields
    std::string prev_hash;      // assigned by append()
    std::string hash;           // assigned by append()
    // How `hash` is computed (docs/journal.md): 1 over the payload as stored; 2 (every row
    // appended since the central service) over the payload with personal data replaced by
    // commitments (store/journal_redaction.hpp), so a redacted copy still verifies.
    int scheme = current_journal_scheme;

    friend bool operator==(const JournalRow&, const JournalRow&) = default;
};

struct VerifyReport
{
    bool ok = true;
    std::int64_t rows = 0;          // rows read
    std::int64_t first_bad_seq = 0; // 0 when ok
    std::string reason;             // "" when ok; why the first bad row is bad
    std::string last_hash;          // hash of the last good row: an anchor to write down
};

class Journal
{
  public:
    // The hash a first row links to: 64 '0's.
    static const std::string genesis_hash;

    // One Journal per Database: it caches the last row's seq and hash.
    explicit Journal(Database& db);

    // Appends inside the caller's open transaction (Database::transaction): assigns seq,
    // prev_hash and hash. The row is durable when that transaction commits.
    Result<void> append(JournalRow& row);

    // Up to `limit` rows with seq >= from_seq, in order.
    Result<std::vector<JournalRow>> read(std::int64_t from_seq, std::int64_t limit);

    // Recomputes every hash and link from the first row; names the first bad row and why.
    VerifyReport verify();
    // The same from row `from_seq` to the end: row from_seq links to the stored hash of
    // the row before it (checked earlier, e.g. up to a checkpoint). A bad row whose seq is
    // in `accepted` (breaks an administrator acknowledged) is taken as it is and the check
    // goes on after it. `rows` counts the rows checked; last_hash is the last row's hash.
    VerifyReport verify_from(std::int64_t from_seq, const std::set<std::int64_t>& accepted = {});

    // The stored hash of row `seq`, nullopt when there is no such row.
    Result<std::optional<std::string>> hash_at(std::int64_t seq);

    // The seq of the newest row of this kind, if any.
    Result<std::optional<std::int64_t>> last_seq_of_kind(std::string_view kind);
    // The newest seq, 0 for an empty journal.
    Result<std::int64_t> last_seq();

    // The text that is hashed: fields joined by '\n' (docs/journal.md); in scheme 2 the
    // payload is the redacted one.
    static std::string canonical(const JournalRow& row);

  private:
    Result<void> load_tail();

    Database& db_;
    bool tail_known_ = false;
    std::uint64_t tail_generation_ = 0;
    std::int64_t tail_seq_ = 0;
    std::string tail_hash_;
};

} // namespace motcua::store

#include "auth/store.hpp"

#include "audit/store.hpp"

namespace janji::auth {

namespace {

constexpr std::string_view kSelectById =
    "SELECT id, name, email, address, phone_number, role FROM users WHERE id = $1";
constexpr std::string_view kSelectByEmail =
    "SELECT id, name, email, address, phone_number, role, hashed_password FROM users "
    "WHERE lower(email) = lower($1)";
constexpr std::string_view kInsert =
    "INSERT INTO users (name, email, address, phone_number, hashed_password, role, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) "
    "RETURNING id, name, email, address, phone_number, role";

User read_user(const db::Row& r) {
  return User{r.int64(0), r.text(1), r.text(2), r.opt_text(3), r.opt_text(4), r.text(5)};
}

}  // namespace

UserStore::UserStore(db::Runner& db)
    : db_(db),
      select_caller_("SELECT id, name, email, address, phone_number, role, " +
                     std::string(db::shared_data_version(db.dialect())) +
                     " FROM users WHERE id = $1") {}

std::optional<User> find_user_by_email(db::Connection& c, const std::string& email) {
  if (auto row = c.query_one(kSelectByEmail, {email})) return read_user(*row);
  return std::nullopt;
}

User insert_user(db::Connection& c, const NewUser& u, const std::string& hashed_password) {
  try {
    auto row = c.query_one(
        kInsert, {u.name, u.email, db::text_or_null(u.address), db::text_or_null(u.phone_number),
                  hashed_password, u.role, db::time(now_utc())});
    return read_user(*row);
  } catch (const db::Error& e) {
    if (e.kind() == db::Error::Kind::kUniqueViolation)
      throw ApiError::bad_request("Email already registered");
    throw;
  }
}

void insert_imported_user(db::Connection& c, std::int64_t id, const NewUser& u,
                          const std::string& hashed_password) {
  c.execute(
      "INSERT INTO users (id, name, email, address, phone_number, hashed_password, role, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
      {id, u.name, u.email, db::text_or_null(u.address), db::text_or_null(u.phone_number),
       hashed_password, u.role, db::time(now_utc())});
}

boost::asio::awaitable<User> UserStore::create(NewUser user, std::string hashed_password) {
  co_return co_await db_.write(
      [&](db::Connection& c) { return insert_user(c, user, hashed_password); });
}

std::optional<User> find_user(db::Connection& c, std::int64_t id) {
  if (auto row = c.query_one(kSelectById, {id})) return read_user(*row);
  return std::nullopt;
}

db::Soon<std::optional<User>> find_user_soon(db::Connection& c, std::int64_t id) {
  return {c.query_soon_shared(kSelectById, {id}), [](const db::Rows& rows) -> std::optional<User> {
            if (rows.empty()) return std::nullopt;
            return read_user(rows.front());
          }};
}

boost::asio::awaitable<Caller> UserStore::find_caller(std::int64_t id) {
  // Asked for every signed-in request: one statement, alone.
  co_return co_await db_.read_alone([this, id](db::Connection& c) {
    Caller found;
    if (auto row = c.query_one(select_caller_, {id})) {
      found.user = read_user(*row);
      found.data_version = row->opt_text(6);
    }
    return found;
  });
}

boost::asio::awaitable<std::optional<Credentials>> UserStore::find_credentials(std::string email) {
  co_return co_await db_.read([&](db::Connection& c) -> std::optional<Credentials> {
    if (auto row = c.query_one(kSelectByEmail, {email}))
      return Credentials{read_user(*row), row->text(6)};
    return std::nullopt;
  });
}

boost::asio::awaitable<User> UserStore::update_profile(std::int64_t id, ProfileUpdate u) {
  co_return co_await db_.write([&](db::Connection& c) {
    try {
      // COALESCE keeps a field that the request did not name; the flags let null clear the
      // optional ones.
      c.execute(
          "UPDATE users SET name = COALESCE($2, name), email = COALESCE($3, email), "
          "address = CASE WHEN $4 = 1 THEN $5 ELSE address END, "
          "phone_number = CASE WHEN $6 = 1 THEN $7 ELSE phone_number END, updated_at = $8 "
          "WHERE id = $1",
          {id, db::text_or_null(u.name), db::text_or_null(u.email),
           std::int64_t{u.set_address ? 1 : 0}, db::text_or_null(u.address),
           std::int64_t{u.set_phone_number ? 1 : 0}, db::text_or_null(u.phone_number),
           db::time(now_utc())});
    } catch (const db::Error& e) {
      if (e.kind() == db::Error::Kind::kUniqueViolation)
        throw ApiError::bad_request("Email already registered");
      throw;
    }
    auto row = c.query_one(kSelectById, {id});
    if (!row) throw ApiError::unauthorized("Could not validate credentials");
    return read_user(*row);
  });
}

boost::asio::awaitable<void> UserStore::set_password_hash(std::int64_t id, std::string hash) {
  co_await db_.write([&](db::Connection& c) {
    c.execute("UPDATE users SET hashed_password = $2, updated_at = $3 WHERE id = $1",
              {id, hash, db::time(now_utc())});
  });
}

AdminOutcome ensure_admin(db::Connection& c, NewUser user, const std::string& hash,
                          AdminPolicy policy) {
  // Made from the command line or ADMIN_EMAIL at start: no actor.
  const auto now = now_utc();
  if (auto existing = find_user_by_email(c, user.email)) {
    if (policy == AdminPolicy::kCreateOnly) return AdminOutcome::kExists;
    c.execute(
        "UPDATE users SET role = 'admin', hashed_password = $2, updated_at = $3 WHERE id = $1",
        {existing->id, hash, db::time(now)});
    const auto outcome =
        existing->is_admin() ? AdminOutcome::kPasswordReset : AdminOutcome::kPromoted;
    audit::record(
        c,
        {std::nullopt,
         outcome == AdminOutcome::kPromoted ? "admin.promoted" : "admin.password_reset", "user",
         std::to_string(existing->id), to_json(*existing), to_json(*find_user(c, existing->id))},
        now);
    return outcome;
  }
  user.role = "admin";
  const auto created = insert_user(c, user, hash);
  audit::record(c,
                {std::nullopt, "admin.created", "user", std::to_string(created.id), std::nullopt,
                 to_json(created)},
                now);
  return AdminOutcome::kCreated;
}

void move_ids_past_imported(db::Connection& c) {
  c.move_id_sequence_past_rows("users");
}

}  // namespace janji::auth

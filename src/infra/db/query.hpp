#pragma once

#include "infra/db/db.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace janji::db {

/// An id for a new row of `table`, asked for soon, where the database hands ids out apart
/// from inserts (PostgreSQL's identity sequences), so the row can be inserted without waiting
/// for its id. Nothing on SQLite, whose insert decides the id (and answers at once anyway).
/// The sequence is named as BIGSERIAL names it, `<table>_id_seq`, in the statement itself:
/// resolved once, when it is prepared, instead of looked up on every call.
inline std::optional<Soon<std::int64_t>> reserve_id(Connection& c, std::string_view table) {
  if (c.dialect() != Dialect::kPostgres) return std::nullopt;
  return Soon<std::int64_t>(c.query_soon("SELECT nextval('" + std::string(table) + "_id_seq')", {}),
                            [](const Rows& rows) { return rows.front().int64(0); });
}

/// Builds a statement's optional filters with numbered parameters, so lists with any mix
/// of filters stay parameterised.
class Query {
 public:
  /// Adds a parameter and returns its placeholder ("$3").
  std::string bind(Param p) {
    params_.push_back(std::move(p));
    return "$" + std::to_string(params_.size());
  }
  /// Adds "column = $N" to the WHERE clause.
  void where_equals(std::string_view column, Param p) {
    where_ += where_.empty() ? " WHERE " : " AND ";
    where_ += std::string(column) + " = " + bind(std::move(p));
  }
  /// Adds "column IN ($N, …)" to the WHERE clause; `values` must not be empty.
  void where_in(std::string_view column, std::vector<Param> values) {
    where_ += where_.empty() ? " WHERE " : " AND ";
    where_ += std::string(column) + " IN (";
    for (std::size_t i = 0; i < values.size(); ++i)
      where_ += (i ? ", " : "") + bind(std::move(values[i]));
    where_ += ")";
  }
  /// " LIMIT $N OFFSET $M" for page `page` (from 1) of `limit` rows.
  std::string page(std::int64_t page, std::int64_t limit) {
    auto sql = " LIMIT " + bind(limit);
    return sql + " OFFSET " + bind((page - 1) * limit);
  }
  const std::string& where() const { return where_; }
  const std::vector<Param>& params() const { return params_; }

 private:
  std::string where_;
  std::vector<Param> params_;
};

}  // namespace janji::db

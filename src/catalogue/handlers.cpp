#include "catalogue/handlers.hpp"

#include "catalogue/validation.hpp"
#include "http/body.hpp"

namespace janji::catalogue {

using boost::asio::awaitable;
using http::Access;
using http::Request;
using http::Response;
using http::Verb;

void add_routes(http::Router& router, CatalogueService& catalogue) {
  router.add(Verb::get, "/services/packages",
             // Public: a stale token sent by a client must not turn this into a 401.
             [&catalogue](Request&) -> awaitable<Response> {
               Response r;
               r.body = (co_await catalogue.list())->json;
               co_return r;
             },
             {.tag = "services",
              .summary = "All packages with their service types",
              .response_schema = "[PackageRead]"});

  router.add(Verb::get, "/services/packages/{package_id}",
             [&catalogue](Request& req) -> awaitable<Response> {
               const auto id = http::path_id(req, "package_id");
               co_return Response::json(200, to_json(co_await catalogue.find(id)));
             },
             {.tag = "services",
              .summary = "One package with its service types",
              .response_schema = "PackageRead",
              .errors = {404}});

  router.add(Verb::post, "/services/packages",
             [&catalogue](Request& req) -> awaitable<Response> {
               auto p = parse_new_package(http::json_body(req));
               co_return Response::json(
                   201, to_json(co_await catalogue.create_package(std::move(p), req.caller().id)));
             },
             {.tag = "services",
              .summary = "Create a package",
              .access = Access::kAdmin,
              .request_schema = "PackageCreate",
              .status = 201,
              .response_schema = "PackageRead",
              .errors = {400}});

  router.add(Verb::patch, "/services/packages/{package_id}",
             [&catalogue](Request& req) -> awaitable<Response> {
               const auto id = http::path_id(req, "package_id");
               auto ch = parse_package_change(http::json_body(req));
               co_return Response::json(200, to_json(co_await catalogue.update_package(
                                                 id, std::move(ch), req.caller().id)));
             },
             {.tag = "services",
              .summary = "Update a package",
              .access = Access::kAdmin,
              .request_schema = "PackageUpdate",
              .response_schema = "PackageRead",
              .errors = {400, 404}});

  router.add(Verb::delete_, "/services/packages/{package_id}",
             [&catalogue](Request& req) -> awaitable<Response> {
               const auto id = http::path_id(req, "package_id");
               co_await catalogue.delete_package(id, req.caller().id);
               co_return Response::no_content();
             },
             {.tag = "services",
              .summary = "Delete a package and its service types",
              .access = Access::kAdmin,
              .status = 204,
              .errors = {404, 409}});

  router.add(Verb::post, "/services/types",
             [&catalogue](Request& req) -> awaitable<Response> {
               auto t = parse_new_service_type(http::json_body(req));
               co_return Response::json(
                   201, to_json(co_await catalogue.add_type(std::move(t), req.caller().id)));
             },
             {.tag = "services",
              .summary = "Add a service type to a package; returns the package",
              .access = Access::kAdmin,
              .request_schema = "ServiceTypeCreate",
              .status = 201,
              .response_schema = "PackageRead",
              .errors = {404}});

  router.add(Verb::patch, "/services/types/{service_type_id}",
             [&catalogue](Request& req) -> awaitable<Response> {
               const auto id = http::path_id(req, "service_type_id");
               auto ch = parse_service_type_change(http::json_body(req));
               co_return Response::json(200, to_json(co_await catalogue.update_type(
                                                 id, std::move(ch), req.caller().id)));
             },
             {.tag = "services",
              .summary = "Update a service type; returns its package",
              .access = Access::kAdmin,
              .request_schema = "ServiceTypeUpdate",
              .response_schema = "PackageRead",
              .errors = {404}});

  router.add(Verb::delete_, "/services/types/{service_type_id}",
             [&catalogue](Request& req) -> awaitable<Response> {
               const auto id = http::path_id(req, "service_type_id");
               co_return Response::json(
                   200, to_json(co_await catalogue.delete_type(id, req.caller().id)));
             },
             {.tag = "services",
              .summary = "Delete a service type; returns its package",
              .access = Access::kAdmin,
              .response_schema = "PackageRead",
              .errors = {404, 409}});
}

}  // namespace janji::catalogue

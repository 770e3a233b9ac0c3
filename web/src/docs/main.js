// /docs: Swagger UI over this server's /openapi.json. Nothing is fetched from elsewhere: the
// online validator badge is off, and the bundle and its styles are served by Janji.
window.ui = window.SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
  persistAuthorization: false,
});

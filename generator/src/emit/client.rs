//! The `Client`, its builder, and one method per operation.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{code, doc_attrs, doc_lines, one_line};
use super::operations::{emit_method, emit_stream, emit_stream_form, params_default};
use super::rust::{cfg_tokens, ident, root_doc_path, root_item};
use crate::model::{Api, Carrier, OAuthNotes, Operation, SecurityScheme, Tag};

/// Everything but the operations' methods, which `methods` stands in for.
pub fn emit_client(api: &Api, methods: TokenStream) -> TokenStream {
    let response_info = root_item(api, "ResponseInfo");
    let request_options = root_item(api, "RequestOptions");
    let body_limit_doc = [
        " The most bytes of a response body read into memory; a longer body ends the".to_owned(),
        format!(
            " call with [`{}::BodyTooLarge`] as soon as reading reaches the limit. The",
            root_doc_path(api, "Error")
        ),
        " default is 64 MiB. A body taken with `stream_body()` has no such limit.".to_owned(),
    ];
    let schemes = api.security_schemes.iter().map(|scheme| {
        let name = &scheme.key;
        let carrier = match &scheme.carrier {
            Carrier::Header(header) => {
                let header = header.to_ascii_lowercase();
                quote!(runtime::__private::Carrier::Header(#header))
            }
            Carrier::Query(parameter) => quote!(runtime::__private::Carrier::Query(#parameter)),
            Carrier::Cookie(cookie) => quote!(runtime::__private::Carrier::Cookie(#cookie)),
            Carrier::Bearer => quote!(runtime::__private::Carrier::Bearer),
            Carrier::Basic => quote!(runtime::__private::Carrier::Basic),
        };
        quote!(runtime::__private::SecurityScheme { name: #name, carrier: #carrier })
    });
    let base_url = api
        .default_server
        .as_deref()
        .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
        .unwrap_or_default();
    let base_url_doc = if base_url.is_empty() {
        " The spec names no absolute server URL: set one with [`ClientBuilder::base_url`]."
            .to_owned()
    } else {
        format!(" The server the spec names: `{base_url}`.")
    };
    let credential_setters = api
        .security_schemes
        .iter()
        .map(|scheme| {
            let setter = ident(&scheme.name);
            let index = scheme_path(scheme, quote!(Client));
            let key = &scheme.key;
            let summary = match &scheme.carrier {
                Carrier::Header(header) => format!("The `{key}` API key, sent in the `{header}` header."),
                Carrier::Query(parameter) => format!("The `{key}` API key, sent as the `{parameter}` query parameter."),
                Carrier::Cookie(cookie) => format!("The `{key}` API key, sent as the `{cookie}` cookie."),
                Carrier::Bearer => format!("The `{key}` token, sent as `Authorization: Bearer <token>`."),
                Carrier::Basic => format!("The `{key}` user name and password, sent as HTTP basic authentication."),
            };
            let (device, metadata) = oauth_notes(&scheme.oauth);
            let docs = doc_attrs([
                Some(summary.as_str()),
                scheme.description.as_deref(),
                device.as_deref(),
                metadata.as_deref(),
            ]);
            let value_setter = if scheme.carrier == Carrier::Basic {
                quote! {
                    #docs
                    pub fn #setter(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                        self.config.credential(#index, format!("{}:{}", username.into(), password.into()));
                        self
                    }
                }
            } else {
                quote! {
                    #docs
                    pub fn #setter(mut self, value: impl Into<String>) -> Self {
                        self.config.credential(#index, value.into());
                        self
                    }
                }
            };
            let provider = provider_setter(scheme, index.clone());
            let grants = grant_setters(scheme, index);
            quote!(#value_setter #provider #grants)
        });
    let constants = scheme_constants(api);
    let title = format!("Client for {} {}.", api.title, api.version);
    let docs = doc_attrs([Some(title.as_str()), api.description.as_deref()]);
    let tags = tags_doc(&api.tags);
    quote! {
        #[doc = #base_url_doc]
        pub const DEFAULT_BASE_URL: &str = #base_url;

        const SECURITY_SCHEMES: &[runtime::__private::SecurityScheme] = &[#(#schemes),*];

        #docs
        ///
        /// Credentials are never shown by `Debug`. Build one with [`Client::builder`].
        #tags
        #[derive(Clone, Debug)]
        pub struct Client {
            http: runtime::__private::HttpClient,
        }

        /// Settings for a [`Client`]: credentials, base URL and timeouts.
        #[derive(Debug)]
        pub struct ClientBuilder {
            config: runtime::__private::ClientConfig,
        }

        impl ClientBuilder {
            #(#credential_setters)*

            /// A token sent as `Authorization: Bearer <token>` with every request, whatever the
            /// spec declares (many specs declare no scheme their API in fact wants); like a
            /// declared credential, it goes only to the base URL's origin and is never shown.
            pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
                self.config
                    .credential_header("authorization".to_owned(), format!("Bearer {}", token.into()));
                self
            }

            /// A credential sent in the header `name` with every request, whatever the spec
            /// declares; like a declared credential, it goes only to the base URL's origin and
            /// is never shown. [`build`](Self::build) refuses a name or value no header can
            /// hold.
            pub fn credential_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.config.credential_header(name.into(), value.into());
                self
            }

            /// Replaces [`DEFAULT_BASE_URL`], e.g. to call a sandbox or a mock server.
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.config.base_url(url.into());
                self
            }

            /// Limits each try: sending the request, the response head, and a body read into
            /// memory; `None` waits forever. The default is 60 seconds.
            pub fn timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
                self.config.timeout(timeout);
                self
            }

            /// Limits connecting to the server; `None` waits forever. The default is 10 seconds.
            pub fn connect_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
                self.config.connect_timeout(timeout);
                self
            }

            /// Limits the wait for each next chunk of a body, so that a slow but live body
            /// goes on and a stalled one ends; `None` waits forever. The default is 30 seconds.
            pub fn read_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
                self.config.read_timeout(timeout);
                self
            }

            /// Limits a call as a whole, every retry and the waits between them; a retry that
            /// would end past it is not made. `None` waits forever. The default is 2 minutes.
            pub fn deadline(mut self, deadline: Option<std::time::Duration>) -> Self {
                self.config.deadline(deadline);
                self
            }

            #(#[doc = #body_limit_doc])*
            pub fn max_body_size(mut self, bytes: u64) -> Self {
                self.config.max_body_size(bytes);
                self
            }

            /// Sends requests through a `reqwest` client built from these settings (proxies,
            /// certificates, connection pools), with the client's policy on top: redirects are
            /// not followed (a 3xx is a response, so credentials never reach the origin a
            /// `Location` names), no `Referer` is sent, and the time and body limits above hold.
            pub fn http_client(mut self, client: runtime::reqwest::ClientBuilder) -> Self {
                self.config.http_client(client);
                self
            }

            runtime::middleware_items! {
                /// Runs `layer`, a `reqwest-middleware` layer of yours (retry, caching,
                /// tracing, OpenTelemetry), on every request the client sends, each retry
                /// included, in the order they are added; with the runtime's `middleware`
                /// feature. The client's policy holds around it: time and body limits,
                /// credentials only to the base URL's origin, no redirects followed. With a
                /// layer, the client's own retries are off unless [`max_retries`](Self::max_retries)
                /// is set, so that a retrying layer does not retry each of the client's tries.
                pub fn middleware(mut self, layer: impl runtime::reqwest_middleware::Middleware) -> Self {
                    self.config.middleware(std::sync::Arc::new(layer));
                    self
                }
            }

            /// Retries after a connection error, 408, 429 or 5xx, with exponential backoff and
            /// jitter, honouring `Retry-After`: for idempotent methods, and for any method
            /// when the request carries an idempotency key. The default is 2 (0 with a
            /// [`middleware`](Self::middleware) layer); 0 disables.
            pub fn max_retries(mut self, max_retries: u32) -> Self {
                self.config.max_retries(max_retries);
                self
            }

            /// Runs `hook` on every request just before it is sent (each retry included): to
            /// add headers, trace, or refresh a credential.
            pub fn on_request(
                mut self,
                hook: impl Fn(&mut runtime::reqwest::Request) + Send + Sync + 'static,
            ) -> Self {
                self.config.on_request(std::sync::Arc::new(hook));
                self
            }

            /// Runs `hook` on every response as it arrives, retried ones included.
            pub fn on_response(
                mut self,
                hook: impl Fn(&#response_info<'_>) + Send + Sync + 'static,
            ) -> Self {
                self.config.on_response(std::sync::Arc::new(hook));
                self
            }

            /// Replaces how the client waits between retries (by default `tokio::time::sleep`),
            /// for tests that should not wait or for other async runtimes.
            pub fn sleep(
                mut self,
                sleep: impl Fn(std::time::Duration) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
                    + Send
                    + Sync
                    + 'static,
            ) -> Self {
                self.config.sleep(std::sync::Arc::new(sleep));
                self
            }

            /// Checks the settings and builds the client.
            pub fn build(self) -> Result<Client, runtime::BuildError> {
                Ok(Client { http: self.config.build()? })
            }
        }

        impl Client {
            #constants

            /// Starts a [`ClientBuilder`] with the default base URL and no credentials.
            pub fn builder() -> ClientBuilder {
                ClientBuilder {
                    config: runtime::__private::ClientConfig::new(DEFAULT_BASE_URL, SECURITY_SCHEMES),
                }
            }

            /// The base URL requests are sent to.
            pub fn base_url(&self) -> &str {
                self.http.base_url()
            }

            /// A client whose calls use `options` (timeout, retries, idempotency key, extra
            /// headers) on top of this one's; cheap, and this client is unchanged.
            pub fn with_options(&self, options: #request_options) -> Self {
                Self { http: self.http.with_options(options) }
            }

            #methods
        }
    }
}

/// Where an OAuth 2 token comes from, as far as the spec says beyond its flows' URLs that
/// `openapiv3` reads: the device authorization flow, and the server's metadata.
fn oauth_notes(oauth: &OAuthNotes) -> (Option<String>, Option<String>) {
    let device = oauth.device_authorization.as_ref().map(|(device, token)| {
        format!(
            "Obtain it with OAuth 2's device authorization flow (RFC 8628): device authorization \
             at {}, token at {}.",
            code(device),
            code(token)
        )
    });
    let metadata = oauth.metadata_url.as_ref().map(|url| {
        format!(
            "The authorization server's metadata (RFC 8414): {}.",
            code(url)
        )
    });
    (device, metadata)
}

/// The "Tags" section of `Client`'s docs: each tag under its parent, with its feature, kind
/// and summary.
fn tags_doc(tags: &[Tag]) -> TokenStream {
    if tags.is_empty() {
        return TokenStream::new();
    }
    let mut lines = vec![String::new(), "# Tags".to_owned(), String::new()];
    for (depth, tag) in nested(tags) {
        let notes: Vec<String> = [
            tag.feature
                .as_deref()
                .map(|feature| format!("feature {}", code(feature))),
            tag.kind
                .as_deref()
                .map(|kind| format!("kind {}", code(&one_line(kind)))),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut item = format!("{}- {}", "  ".repeat(depth), code(&tag.name));
        if !notes.is_empty() {
            item.push_str(&format!(" ({})", notes.join(", ")));
        }
        if let Some(summary) = &tag.summary {
            item.push_str(": ");
            item.push_str(&one_line(summary));
        }
        lines.push(item);
    }
    doc_lines(&lines)
}

/// The tags in the order of a nested list, each with its depth: the tags without a parent in
/// document order, each followed by the tags under it.
fn nested(tags: &[Tag]) -> Vec<(usize, &Tag)> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); tags.len()];
    let mut stack = Vec::new();
    for (index, tag) in tags.iter().enumerate() {
        match tag.parent.and_then(|parent| children.get_mut(parent)) {
            Some(siblings) => siblings.push(index),
            None => stack.push((0, index)),
        }
    }
    stack.reverse();
    let mut ordered = Vec::new();
    while let Some((depth, index)) = stack.pop() {
        let Some(tag) = tags.get(index) else {
            continue;
        };
        ordered.push((depth, tag));
        let under = children.get(index).into_iter().flatten().rev();
        stack.extend(under.map(|&child| (depth + 1, child)));
    }
    ordered
}

/// An operation's method of `Client`, its `_pages` and `_stream` twins when it pages, and
/// its stream form's method beside a method reading another form, each compiled in by the
/// operation's features.
pub fn operation_methods(api: &Api, operation: &Operation) -> TokenStream {
    let method = emit_method(api, operation);
    let cfg = cfg_tokens(operation.features.as_deref());
    let streams =
        emit_stream(api, operation).map(|(pages, stream)| quote!(#cfg #pages #cfg #stream));
    let events = emit_stream_form(api, operation).map(|events| quote!(#cfg #events));
    quote!(#cfg #method #streams #events)
}

/// The constant naming `scheme`'s index in `SECURITY_SCHEMES`, in upper case: the setter's name
/// is unique among the builder's setters, so the constant's is among the schemes'.
fn scheme_constant(scheme: &SecurityScheme) -> proc_macro2::Ident {
    ident(&scheme.name.to_ascii_uppercase())
}

/// `Client::NAME`, the constant by which the builder's setters name a scheme (the client's
/// methods say `Self::NAME`).
pub(super) fn scheme_path(scheme: &SecurityScheme, owner: TokenStream) -> TokenStream {
    let constant = scheme_constant(scheme);
    quote!(#owner::#constant)
}

/// A constant of `Client` per scheme, so that an operation's requirement reads
/// `&[&[Self::API_KEY]]` rather than `&[&[0]]`. Associated constants rather than a module:
/// a module's name could be the name of the module a client is `include!`d into.
fn scheme_constants(api: &Api) -> TokenStream {
    let constants = api
        .security_schemes
        .iter()
        .enumerate()
        .map(|(index, scheme)| {
            let doc = format!(
                " The index of the {} scheme in `SECURITY_SCHEMES`.",
                code(&scheme.key)
            );
            let constant = scheme_constant(scheme);
            let index = Literal::usize_unsuffixed(index);
            quote! {
                #[doc = #doc]
                const #constant: usize = #index;
            }
        });
    quote!(#(#constants)*)
}

/// The setter that takes a credential provider for `scheme`.
fn provider_setter(scheme: &SecurityScheme, index: TokenStream) -> TokenStream {
    let setter = ident(&scheme.provider_setter);
    let what = match scheme.carrier {
        Carrier::Basic => "user name and password, as `user:password`,",
        Carrier::Bearer => "token",
        _ => "API key",
    };
    let doc = format!(
        " The `{}` {what} from `provider`, asked for when the client holds none, renewed \
         before it expires and once after the server refuses it with 401; calls that need it \
         meanwhile wait for that one fetch. See [`runtime::CredentialProvider`].",
        scheme.key
    );
    let doc = doc_lines(&wrapped(&doc));
    quote! {
        #doc
        pub fn #setter(mut self, provider: impl runtime::CredentialProvider + 'static) -> Self {
            self.config.credential_provider(#index, provider);
            self
        }
    }
}

/// The setters of the OAuth 2 grants the client runs itself: client credentials, and the
/// refresh token that renews the tokens of an authorization the user made.
fn grant_setters(scheme: &SecurityScheme, index: TokenStream) -> TokenStream {
    let key = &scheme.key;
    let client_credentials = scheme
        .client_credentials_setter
        .as_ref()
        .zip(scheme.oauth.client_credentials_url.as_ref())
        .map(|(setter, token_url)| {
            let setter = ident(setter);
            let scopes = &scheme.oauth.scopes;
            let asked = match scopes.is_empty() {
                true => String::from("no scope"),
                false => {
                    let listed: Vec<String> = scopes.iter().map(|s| code(s)).collect();
                    format!("the scopes the operations use ({})", listed.join(", "))
                }
            };
            let doc = format!(
                " The `{key}` token for this client itself, from OAuth 2's client credentials \
                 grant at {} (against the base URL when relative), asking for {asked}: \
                 fetched when first needed, cached, and renewed before it expires and once \
                 after a 401. The client authenticates with HTTP basic; the secret is never \
                 shown.",
                code(token_url)
            );
            let doc = doc_lines(&wrapped(&doc));
            quote! {
                #doc
                pub fn #setter(
                    mut self,
                    client_id: impl Into<String>,
                    client_secret: impl Into<String>,
                ) -> Self {
                    self.config.client_credentials(
                        #index,
                        (#token_url, &[#(#scopes),*]),
                        client_id.into(),
                        client_secret.into(),
                    );
                    self
                }
            }
        });
    let refresh = scheme
        .refresh_token_setter
        .as_ref()
        .zip(scheme.oauth.refresh_url.as_ref())
        .map(|(setter, token_url)| {
            let setter = ident(setter);
            let doc = format!(
                " The `{key}` tokens of an authorization the user made (the browser or device \
                 step is yours), renewed with OAuth 2's refresh-token grant at {} (against \
                 the base URL when relative): the first when first needed, the next before it \
                 expires and once after a 401. A public client has no secret; a refresh token \
                 the server replaces is kept. Nothing of it is shown.",
                code(token_url)
            );
            let doc = doc_lines(&wrapped(&doc));
            quote! {
                #doc
                pub fn #setter(
                    mut self,
                    client_id: impl Into<String>,
                    client_secret: Option<String>,
                    refresh_token: impl Into<String>,
                ) -> Self {
                    self.config.refresh_token(
                        #index,
                        #token_url,
                        (client_id.into(), client_secret),
                        refresh_token.into(),
                    );
                    self
                }
            }
        });
    quote!(#client_credentials #refresh)
}

/// `text` (one paragraph, starting with the space `///` is followed by) as doc lines of at
/// most 88 characters, for the source reader; rustdoc joins them again.
fn wrapped(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > 88 {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// The crate docs' quick start for `--crate` output: a client built with the credentials one
/// simple call needs, that call, and a match on its error.
#[derive(Clone, Debug)]
pub struct QuickStart {
    /// What the example takes from the crate (`Client`, `Error`, ...).
    imports: Vec<&'static str>,
    /// The example's code after its `use`, the lines only rustdoc sees starting `# `.
    code: Vec<String>,
}

impl QuickStart {
    /// The quick start as crate docs (`//!` lines) of the crate `crate_name`.
    pub fn crate_docs(&self, crate_name: &str) -> String {
        let mut lines = vec![
            "# Quick start".to_owned(),
            String::new(),
            "Build a [`Client`], then call its methods: each returns a future of the decoded"
                .to_owned(),
            "[`Response`]. A status the spec documents as an error is [`Error::Api`], its body"
                .to_owned(),
            "typed; the other variants of [`Error`] are calls not sent or not answered as"
                .to_owned(),
            "documented.".to_owned(),
            String::new(),
            "```no_run".to_owned(),
            format!(
                "use {}::{{{}}};",
                crate_name.replace('-', "_"),
                self.imports.join(", ")
            ),
            String::new(),
        ];
        lines.extend(self.code.iter().cloned());
        lines.push("```".to_owned());
        lines
            .iter()
            .map(|line| match line.is_empty() {
                true => "//!\n".to_owned(),
                false => format!("//! {line}\n"),
            })
            .collect()
    }
}

/// The quick start, calling the first operation that takes nothing a reader must build: a
/// `GET` whose path parameters are plain values, whose parameters all have defaults, and
/// that needs no body. Without one, the example builds the client only.
pub fn quick_start(api: &Api) -> Option<QuickStart> {
    if api.options.types_only {
        return None;
    }
    let call = api
        .operations
        .iter()
        .find_map(|operation| simple_call(api, operation));
    let mut imports = vec!["Client"];
    let mut code = vec![
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
        "let client = Client::builder()".to_owned(),
    ];
    let base_url = api
        .default_server
        .as_deref()
        .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
        .unwrap_or("https://api.example.com");
    code.push(format!("    .base_url({base_url:?})"));
    // The credentials of the call's first alternative; without a call, of the first scheme.
    let schemes: Vec<&SecurityScheme> = match &call {
        Some((operation, _)) => operation
            .security
            .first()
            .into_iter()
            .flatten()
            .filter_map(|index| api.security_schemes.get(*index))
            .collect(),
        None => api.security_schemes.iter().take(1).collect(),
    };
    for scheme in schemes {
        let variable = scheme.name.to_ascii_uppercase();
        code.push(match scheme.carrier {
            Carrier::Basic => format!(
                "    .{}(std::env::var(\"{variable}_USER\")?, std::env::var(\"{variable}_PASSWORD\")?)",
                scheme.name
            ),
            _ => format!("    .{}(std::env::var({variable:?})?)", scheme.name),
        });
    }
    code.push("    .build()?;".to_owned());
    if let Some((operation, arguments)) = &call {
        // A spec with an `Error` schema has the runtime's `Error` only through `runtime`.
        let exported = api.root_exports.has("Error");
        let error = if exported { "Error" } else { "runtime::Error" };
        if exported {
            imports.push("Error");
        }
        if !exported
            || arguments
                .iter()
                .any(|argument| argument.starts_with("runtime::"))
        {
            imports.insert(0, "runtime");
        }
        if arguments
            .iter()
            .any(|argument| argument.starts_with("&types::"))
        {
            imports.push("types");
        }
        code.extend([
            format!(
                "match client.{}({}).await {{",
                operation.name,
                arguments.join(", ")
            ),
            "    Ok(response) => println!(\"{}\", response.status),".to_owned(),
            format!(
                "    // A documented error status: `err.body` is a `types::{}`.",
                operation.error_type
            ),
            format!("    Err({error}::Api(err)) => eprintln!(\"refused: {{}}\", err.status),"),
            "    // Not sent, or not answered as the spec documents.".to_owned(),
            "    Err(err) => eprintln!(\"failed (status {:?})\", err.status()),".to_owned(),
            "}".to_owned(),
        ]);
    }
    code.extend(["# Ok(())".to_owned(), "# }".to_owned()]);
    Some(QuickStart { imports, code })
}

/// An operation the quick start can call, with its arguments as code.
fn simple_call<'a>(api: &Api, operation: &'a Operation) -> Option<(&'a Operation, Vec<String>)> {
    use crate::model::{ParamLocation, Primitive, TypeRef};
    let plain = operation.method == "GET"
        && !operation.deprecated
        && operation.stream.as_ref().is_none_or(|stream| !stream.only)
        && operation.body.as_ref().is_none_or(|body| !body.required);
    // Its parameter struct is given as `Default::default()`.
    if !plain || !params_default(api, operation) {
        return None;
    }
    let mut arguments = Vec::new();
    for param in operation
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        arguments.push(match &param.ty {
            TypeRef::Primitive(Primitive::String) => format!("{:?}", param.wire_name),
            TypeRef::Primitive(Primitive::Integer) => "1".to_owned(),
            TypeRef::Primitive(Primitive::Number) => "1.0".to_owned(),
            TypeRef::Primitive(Primitive::Boolean) => "true".to_owned(),
            TypeRef::Primitive(Primitive::Uuid) => "runtime::Uuid::nil()".to_owned(),
            _ => return None,
        });
    }
    if let Some(params_type) = &operation.params_type {
        arguments.push(format!("&types::{params_type}::default()"));
    }
    if operation.body.is_some() {
        arguments.push("None".to_owned());
    }
    Some((operation, arguments))
}

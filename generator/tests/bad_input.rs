//! Every kind of bad or unusual input gets a clear message with its location, exit code 1,
//! no panic, and leaves the previous output byte-identical.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PREVIOUS: &str = "// the previous generated output\n";

struct Case {
    dir: PathBuf,
    out: PathBuf,
}

impl Case {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("generator-bad-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        let out = dir.join("client.rs");
        std::fs::write(&out, PREVIOUS).expect("previous output");
        Self { dir, out }
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(&path, contents).expect("write");
        path
    }

    /// A spec with no paths whose `components.schemas` are `schemas` (YAML, indented four).
    fn with_schemas(&self, name: &str, schemas: &str) -> PathBuf {
        self.file(
            name,
            format!("{HEADER}paths: {{}}\ncomponents:\n  schemas:\n{schemas}"),
        )
    }

    fn generate(&self, spec: &Path) -> Output {
        self.generate_with(spec, &[])
    }

    fn generate_with(&self, spec: &Path, flags: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_specwright"))
            .args(["generate", path(spec), "--out", path(&self.out)])
            .args(flags)
            .env("NO_COLOR", "1")
            .output()
            .expect("the generator runs")
    }

    /// Runs the spec and checks that it generates, with every expected text among the
    /// warnings; returns the code written.
    fn generated(&self, spec: &Path, expected: &[&str]) -> String {
        let output = self.generate(spec);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        for text in expected {
            assert!(stderr.contains(text), "expected `{text}` in:\n{stderr}");
        }
        std::fs::read_to_string(&self.out).expect("written")
    }

    /// Runs the spec and checks the refusal: exit 1, every expected text in the message, no
    /// panic, and the previous output untouched.
    fn refused(&self, spec: &Path, expected: &[&str]) -> String {
        self.refused_with(spec, &[], expected)
    }

    fn refused_with(&self, spec: &Path, flags: &[&str], expected: &[&str]) -> String {
        std::fs::write(&self.out, PREVIOUS).expect("previous output");
        let output = self.generate_with(spec, flags);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        for text in expected {
            assert!(stderr.contains(text), "expected `{text}` in:\n{stderr}");
        }
        assert_eq!(
            std::fs::read_to_string(&self.out).expect("output"),
            PREVIOUS,
            "the previous output changed"
        );
        stderr
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn path(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

const HEADER: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn yaml_syntax_errors_give_line_and_column() {
    let case = Case::new("yaml-syntax");
    let spec = case.file("spec.yaml", format!("{HEADER}paths:\n  /a: [unclosed\n"));
    case.refused(&spec, &["invalid YAML", "spec.yaml:5:1"]);
}

#[test]
fn json_syntax_errors_give_line_and_column() {
    let case = Case::new("json-syntax");
    let spec = case.file(
        "spec.json",
        "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\",, }\n}\n",
    );
    case.refused(&spec, &["invalid JSON", "spec.json:3:25", "|"]);
}

#[test]
fn empty_files_and_binary_garbage_are_refused() {
    let case = Case::new("empty");
    case.refused(&case.file("empty.yaml", ""), &["the spec is empty"]);
    case.refused(&case.file("blank.yaml", "\n  \n"), &["the spec is empty"]);
    case.refused(
        &case.file("binary.json", [0u8, 159, 146, 150, 255, 1, 2]),
        &["not UTF-8"],
    );
    case.refused(
        &case.file("scalar.yaml", "just a sentence"),
        &["not an OpenAPI document"],
    );
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let case = Case::new("bom");
    let spec = case.file("bom.json", "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}");
    let output = case.generate(&spec);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn unknown_versions_are_refused() {
    let case = Case::new("versions");
    let swagger = case.file(
        "swagger.yaml",
        "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    case.refused(
        &swagger,
        &[
            "unsupported Swagger version 1.2; expected 2.0",
            "3.2.x",
            "#/swagger",
            "swagger.yaml:1:1",
        ],
    );
    let two = case.file(
        "two.yaml",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    case.generated(&two, &[]);
    let future = case.file(
        "future.yaml",
        "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    case.refused(
        &future,
        &["unsupported OpenAPI version 4.0.0", "future.yaml:1:1"],
    );
}

#[test]
fn wrong_types_name_the_pointer_and_line() {
    let case = Case::new("types");
    let spec = case.file(
        "spec.yaml",
        "openapi: 3.0.3\ninfo: [title, version]\npaths: {}\n",
    );
    case.refused(
        &spec,
        &["#/info", "spec.yaml:2:1", "invalid type: sequence"],
    );
    let nested = case.file("nested.yaml", format!("{HEADER}paths: {{}}\ncomponents:\n  securitySchemes:\n    key: {{type: apiKey, in: body, name: k}}\n"));
    case.refused(
        &nested,
        &["#/components/securitySchemes/key", "nested.yaml:6:5"],
    );
}

#[test]
fn a_path_item_of_the_wrong_shape_is_located_inside_it() {
    let case = Case::new("path-item");
    let spec = case.file(
        "spec.yaml",
        format!("{HEADER}paths:\n  /a:\n    get:\n      parameters: 5\n      responses: {{'200': {{description: ok}}}}\n"),
    );
    case.refused(
        &spec,
        &[
            "not a valid path item: invalid type: integer `5`, expected a sequence",
            "#/paths/~1a/get/parameters",
            "spec.yaml:6:7",
        ],
    );
}

#[test]
fn duplicate_keys_are_reported_not_resolved() {
    let case = Case::new("duplicates");
    let yaml = case.with_schemas(
        "spec.yaml",
        "    A: {type: string}\n    A: {type: integer}\n",
    );
    case.refused(&yaml, &["duplicate key `A`", "spec.yaml:"]);
    let json = case.file(
        "spec.json",
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "paths": {}}"#,
    );
    case.refused(&json, &["duplicate key `paths`", "spec.json:1:"]);
}

#[test]
fn missing_reference_targets_are_reported_together() {
    let case = Case::new("missing-refs");
    let spec = case.with_schemas("spec.yaml", "    A:\n      properties:\n        b: {$ref: '#/components/schemas/Nope'}\n        c: {$ref: '#/components/schemas/Neither'}\n");
    let stderr = case.refused(
        &spec,
        &[
            "#/components/schemas/Nope",
            "spec.yaml:8:9",
            "#/components/schemas/Neither",
            "spec.yaml:9:9",
        ],
    );
    assert_eq!(
        stderr.matches("error:").count(),
        2,
        "both problems in one run:\n{stderr}"
    );
}

#[test]
fn reference_cycles_with_nothing_between_are_refused() {
    let case = Case::new("cycles");
    let spec = case.with_schemas("spec.yaml", "    A: {$ref: '#/components/schemas/A'}\n    B: {$ref: '#/components/schemas/C'}\n    C: {$ref: '#/components/schemas/B'}\n");
    case.refused(
        &spec,
        &[
            "leads back to itself",
            "spec.yaml:6:5",
            "spec.yaml:7:5",
            "spec.yaml:8:5",
        ],
    );
    // A union over such a cycle, whose branches are looked through for a tag, or an `allOf`
    // through one: reported all the same, not a stack overflow.
    let union = case.with_schemas("union.yaml", "    A: {$ref: '#/components/schemas/A'}\n    U: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/A'}]}\n    M: {allOf: [{$ref: '#/components/schemas/A'}]}\n");
    case.refused(&union, &["leads back to itself", "union.yaml:6:5"]);
}

/// Components that are `$ref`s to others of their section are followed however far; a chain
/// that comes back on itself is refused where it starts, naming the loop, and one that ends at
/// nothing is refused where its last `$ref` is written.
#[test]
fn component_reference_cycles_are_refused_where_they_start() {
    let case = Case::new("component-cycles");
    let spec = case.file(
        "spec.yaml",
        format!(
            "{HEADER}paths:\n  /a:\n    parameters:\n      - $ref: '#/components/parameters/P'\n    get:\n      \
             requestBody: {{$ref: '#/components/requestBodies/B'}}\n      responses:\n        \
             '404': {{$ref: '#/components/responses/NotFound'}}\n        \
             '410': {{$ref: '#/components/responses/Gone'}}\n\
             components:\n  parameters:\n    P: {{$ref: '#/components/parameters/Q'}}\n    \
             Q: {{$ref: '#/components/parameters/P'}}\n  requestBodies:\n    \
             B: {{$ref: '#/components/requestBodies/B'}}\n  responses:\n    \
             NotFound: {{$ref: '#/components/responses/Problem'}}\n    \
             Problem: {{$ref: '#/components/responses/NotFound'}}\n    \
             Gone: {{$ref: '#/components/responses/Nowhere'}}\n"
        ),
    );
    let stderr = case.refused(
        &spec,
        &[
            "`$ref: #/components/parameters/P` leads into a cycle of references that names nothing: \
             #/components/parameters/P -> #/components/parameters/Q -> #/components/parameters/P",
            "spec.yaml:6:13",
            "#/components/requestBodies/B -> #/components/requestBodies/B",
            "spec.yaml:8:7",
            "#/components/responses/NotFound -> #/components/responses/Problem -> #/components/responses/NotFound",
            "spec.yaml:10:9",
            "`$ref: #/components/responses/Nowhere` does not name a response in #/components/responses",
            "spec.yaml:21:5",
        ],
    );
    assert_eq!(stderr.matches("error:").count(), 4, "{stderr}");

    // Response headers and examples: a loop among them is refused as well.
    let spec = case.file(
        "headers.yaml",
        format!(
            "{HEADER}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          \
             description: ok\n          headers:\n            X-Rate: {{$ref: '#/components/headers/H'}}\n          \
             content:\n            application/json:\n              schema: {{type: string}}\n              \
             examples:\n                first: {{$ref: '#/components/examples/E'}}\n\
             components:\n  headers:\n    H: {{$ref: '#/components/headers/I'}}\n    \
             I: {{$ref: '#/components/headers/H'}}\n  examples:\n    \
             E: {{$ref: '#/components/examples/E'}}\n"
        ),
    );
    case.refused(
        &spec,
        &[
            "#/components/headers/H -> #/components/headers/I -> #/components/headers/H",
            "headers.yaml:10:13",
            "#/components/examples/E -> #/components/examples/E",
            "headers.yaml:15:17",
        ],
    );

    // A response that names a request body which names itself: read as a response, it would
    // be copied in without end.
    let spec = case.file(
        "misplaced.yaml",
        format!(
            "{HEADER}paths:\n  /a:\n    get:\n      responses:\n        \
             '200': {{$ref: '#/components/requestBodies/B'}}\n\
             components:\n  requestBodies:\n    B: {{$ref: '#/components/requestBodies/B'}}\n"
        ),
    );
    case.refused(
        &spec,
        &["`$ref: #/components/requestBodies/B` refers to itself"],
    );
}

#[test]
fn external_references_are_followed_or_reported() {
    let case = Case::new("external");
    case.file("shared/pet.yaml", "Pet:\n  type: object\n  properties:\n    name: {type: string}\n    owner: {$ref: 'person.yaml'}\n");
    case.file(
        "shared/person.yaml",
        "type: object\nproperties:\n  name: {type: string}\n",
    );
    let good = case.with_schemas("good.yaml", "    Shop:\n      properties:\n        pets: {type: array, items: {$ref: 'shared/pet.yaml#/Pet'}}\n");
    let output = case.generate(&good);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let code = std::fs::read_to_string(&case.out).expect("written");
    assert!(
        code.contains("pub struct Pet {") && code.contains("pub owner: Option<Person>"),
        "{code}"
    );

    std::fs::write(&case.out, PREVIOUS).expect("reset");
    let bad = case.with_schemas(
        "bad.yaml",
        "    Shop:\n      properties:\n        pet: {$ref: 'shared/missing.yaml#/Pet'}\n",
    );
    case.refused(&bad, &["missing.yaml", "cannot be read", "bad.yaml:8:9"]);
}

#[test]
fn undeclared_path_parameters_are_refused() {
    let case = Case::new("path-params");
    let spec = case.file("spec.yaml", format!("{HEADER}paths:\n  /items/{{id}}:\n    get:\n      responses: {{'200': {{description: ok}}}}\n"));
    case.refused(
        &spec,
        &["`{id}`", "no path parameter `id`", "spec.yaml:4:3"],
    );
}

#[test]
fn all_of_members_of_different_types_are_refused() {
    let case = Case::new("all-of-types");
    let spec = case.with_schemas(
        "spec.yaml",
        "    Mixed:\n      allOf:\n        \
             - type: object\n          properties: {foo: {type: string}}\n        \
             - type: string\n",
    );
    let stderr = case.refused(
        &spec,
        &[
            "this `allOf` member requires `string` but #/components/schemas/Mixed/allOf/0 requires `object`: no value is both",
            "#/components/schemas/Mixed/allOf/1",
            "spec.yaml:10:15",
        ],
    );
    assert!(!stderr.contains("contributes no fields"), "{stderr}");
}

/// Mistakes that published specs make and that the generator copes with are warnings, with
/// their location; `--strict` refuses the spec for them instead.
#[test]
fn values_of_the_wrong_type_warn_and_strict_refuses_them() {
    let case = Case::new("wrong-values");
    let spec = case.with_schemas("spec.yaml", "    Page:\n      type: object\n      \
             properties:\n        size:\n          type: integer\n          default: amongus\n        \
             kind:\n          type: integer\n          enum: ['1', '2']\n");
    let code = case.generated(
        &spec,
        &[
            "warning: `default: \"amongus\"` is not an integer; it is left out of the documentation (at #/components/schemas/Page/properties/size/default)",
            "spec.yaml:11:11",
            "warning: enum value `\"1\"` is not an integer (at #/components/schemas/Page/properties/kind/enum/0)",
        ],
    );
    assert!(code.contains("pub size: Option<i64>") && !code.contains("amongus"));

    let stderr = case.refused_with(
        &spec,
        &["--strict"],
        &[
            "error: `default: \"amongus\"` is not an integer",
            "error: enum value `\"1\"`",
        ],
    );
    assert!(!stderr.contains("warning:"), "{stderr}");
}

/// A keyword meant for another type than the schema's `type` is ignored, with a warning that
/// names it at its line and column: the array stays an array.
#[test]
fn keywords_for_another_type_warn_where_they_are_and_the_type_wins() {
    let case = Case::new("type-wins");
    let spec = case.with_schemas(
        "spec.yaml",
        "    Images:\n      type: array\n      items: {}\n      properties:\n        \
         imagem1.jpg: {type: string}\n      required: [imagem1.jpg]\n    \
         Code:\n      type: string\n      maximum: 9\n",
    );
    let code = case.generated(
        &spec,
        &[
            "warning: `properties` and `required` apply only to objects, and this schema's `type` is `array`: ignored (at #/components/schemas/Images/properties)",
            "spec.yaml:9:7",
            "warning: `maximum` applies only to numbers, and this schema's `type` is `string`: ignored (at #/components/schemas/Code/maximum)",
            "spec.yaml:14:7",
        ],
    );
    assert!(
        code.contains("pub type Images = Vec<runtime::Value>;"),
        "{code}"
    );
    assert!(!code.contains("imagem1"), "{code}");
    case.refused_with(
        &spec,
        &["--strict"],
        &["error: `properties` and `required`"],
    );
}

#[test]
fn a_property_redefined_with_another_type_warns_and_the_later_wins() {
    let case = Case::new("redefined");
    let spec = case.with_schemas(
        "spec.yaml",
        "    Base:\n      type: object\n      \
             properties: {foo: {type: string}}\n    Derived:\n      allOf:\n        \
             - $ref: '#/components/schemas/Base'\n        - type: object\n          \
             properties: {foo: {type: integer}}\n",
    );
    let code = case.generated(
        &spec,
        &["warning: property `foo` is `integer` here but `string` at #/components/schemas/Base/properties/foo; `allOf` requires both, which no value is: this later definition is used (at #/components/schemas/Derived/allOf/1/properties/foo)"],
    );
    let derived = code.split("pub struct Derived").nth(1).expect("Derived");
    assert!(derived.contains("pub foo: Option<i64>"), "{derived}");
    case.refused_with(&spec, &["--strict"], &["error: property `foo`"]);
}

#[test]
fn path_parameters_side_by_side_warn() {
    let case = Case::new("side-by-side");
    let parameter = |name: &str| {
        format!("        - {{name: {name}, in: path, required: true, schema: {{type: string}}}}\n")
    };
    let spec = case.file(
        "spec.yaml",
        format!(
            "{HEADER}paths:\n  /files/{{name}}{{ext}}:\n    get:\n      parameters:\n{}{}      \
             responses: {{'200': {{description: ok}}}}\n",
            parameter("name"),
            parameter("ext")
        ),
    );
    case.generated(
        &spec,
        &[
            "the path template puts `{name}` and `{ext}` side by side",
            "spec.yaml:4:3",
        ],
    );
}

/// A schema nested `depth` levels through `properties`, as JSON.
fn nested_json(depth: usize) -> String {
    let mut schema = String::from("{\"type\": \"string\"}");
    for _ in 0..depth {
        schema = format!("{{\"type\": \"object\", \"properties\": {{\"x\": {schema}}}}}");
    }
    schema
}

/// A schema nested `depth` levels through `properties`, as block YAML starting `indent` spaces
/// in, each level two more.
fn nested_yaml(depth: usize, indent: usize) -> String {
    let mut schema = String::new();
    for level in 0..depth {
        let pad = " ".repeat(indent + 2 * level);
        schema += &format!("{pad}type: object\n{pad}properties:\n{pad} x:\n");
    }
    schema + &format!("{}type: string\n", " ".repeat(indent + 2 * depth))
}

/// The same spec in JSON and in YAML: a response's schema and a component's, nested `depth`
/// levels each.
fn nested_specs(case: &Case, depth: usize) -> (PathBuf, PathBuf) {
    let json = case.file(
        "deep.json",
        format!("{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{\"/deep\": {{\"get\": {{\"responses\": {{\"200\": {{\"description\": \"d\", \"content\": {{\"application/json\": {{\"schema\": {}}}}}}}}}}}}}}}, \"components\": {{\"schemas\": {{\"Deep\": {}}}}}}}", nested_json(depth), nested_json(depth)),
    );
    let yaml = case.file(
        "deep.yaml",
        format!(
            "{HEADER}paths:\n  /deep:\n    get:\n      responses:\n        '200':\n          \
             description: d\n          content:\n            application/json:\n              \
             schema:\n{}components:\n  schemas:\n    Deep:\n{}",
            nested_yaml(depth, 16),
            nested_yaml(depth, 6)
        ),
    );
    (json, yaml)
}

/// 200 levels of schemas are read, modelled and written, from JSON and from YAML (which is
/// deeper than serde_yaml reads, 128 levels of YAML), on the pipeline's own stack whatever the
/// caller's, in a debug build.
#[test]
fn nesting_within_the_limits_generates() {
    let case = Case::new("deep-enough");
    let (json, yaml) = nested_specs(&case, 200);
    for spec in [json, yaml] {
        let code = case.generated(&spec, &[]);
        assert!(code.contains("pub struct Deep {"), "{code}");
        assert!(
            code.matches("pub struct Deep").count() >= 200,
            "each level has a type of its own"
        );
        // rustc's default limit is too low for 200 levels of types: a standalone crate raises
        // it (checked with `cargo check` by hand: it compiles, and fails without it).
        let generated =
            specwright::generate_crate(&spec, "deep", &Default::default(), &Default::default())
                .unwrap_or_else(|err| panic!("{err}"));
        let lib = generated
            .files
            .iter()
            .find(|(path, _)| path == "src/lib.rs")
            .map(|(_, text)| text.as_str())
            .unwrap_or_default();
        assert!(lib.contains("#![recursion_limit = \"512\"]"), "{lib}");
    }
    let shallow = specwright::generate_crate(
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../specs/zenskar.yaml"
        )),
        "zenskar",
        &Default::default(),
        &Default::default(),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    assert!(
        shallow
            .files
            .iter()
            .all(|(_, text)| !text.contains("recursion_limit")),
        "only deep types raise the limit"
    );
    // A value nested as deep as a document may go.
    let value = format!("{}1{}", "[".repeat(1020), "]".repeat(1020));
    let spec = case.file(
        "deep-example.json",
        format!("{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"A\": {{\"example\": {value}}}}}}}}}"),
    );
    case.generated(&spec, &[]);
}

/// Past 256 levels of schemas, or 1,024 of mappings and sequences, a spec is refused with
/// where it goes too deep, from JSON and from YAML, never with a stack overflow.
#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let case = Case::new("deep");
    let (json, yaml) = nested_specs(&case, 300);
    // The 257th level, counting the schema the nesting starts from.
    let pointer = format!(
        "(at #/components/schemas/Deep{})",
        "/properties/x".repeat(256)
    );
    case.refused(
        &json,
        &[
            "schemas nested more than 256 levels deep are not supported",
            &pointer,
            "deep.json:1:",
        ],
    );
    case.refused(
        &yaml,
        &[
            "schemas nested more than 256 levels deep are not supported",
            &pointer,
            "deep.yaml:",
        ],
    );

    let limit = "mappings and sequences (objects and arrays) nested more than 1024 levels deep are not supported";
    let value = format!("{}1{}", "[".repeat(1100), "]".repeat(1100));
    let text = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"A\": {{\"example\": {value}}}}}}}}}"
    );
    // The 1,025th level, at its bracket: the document's four and the example's 1,021st.
    let column = text.find('[').unwrap_or_default() + 1021;
    let json = case.file("deeper.json", &text);
    let at = format!("(at #/components/schemas/A/example{})", "/0".repeat(1020));
    case.refused(&json, &[limit, &at, &format!("deeper.json:1:{column}")]);
    let yaml = case.file(
        "deeper.yaml",
        format!(
            "{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      example:\n        {}1\n",
            "- ".repeat(1100)
        ),
    );
    case.refused(&yaml, &[limit, &at, "deeper.yaml:8:"]);
}

#[test]
fn huge_enums_and_wide_objects_generate() {
    let case = Case::new("wide");
    let values: Vec<String> = (0..3000).map(|i| format!("value-{i}")).collect();
    let properties: Vec<String> = (0..400)
        .map(|i| format!("\"field_{i}\": {{\"type\": \"integer\"}}"))
        .collect();
    let spec = case.file(
        "wide.json",
        format!(
            "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Big\": {{\"type\": \"string\", \"enum\": {values:?}}}, \"Wide\": {{\"type\": \"object\", \"properties\": {{{}}}}}}}}}}}",
            properties.join(", ")
        ),
    );
    let output = case.generate(&spec);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let code = std::fs::read_to_string(&case.out).expect("written");
    assert!(code.contains("Value2999,") && code.contains("pub field_399: Option<i64>"));
}

/// ogen's own negative tests, generated as a user who wants a spec checked would, with
/// `--strict`: each spec that is wrong is refused with a message that says what is wrong; the
/// others are valid OpenAPI that ogen rejects for reasons of its own Go code, and generate.
#[test]
fn ogen_negative_specs_are_refused_when_wrong() {
    const CYCLE: &str = "leads back to itself";
    const WRONG_DEFAULT: &str = "is not an integer; it is left out";
    let expected: &[(&str, Option<&str>)] = &[
        (
            "allOf/conflicting_property.json",
            Some("property `foo` is `integer` here but `string`"),
        ),
        // Both patterns can hold at once: the value is a string.
        ("allOf/string_patterns.json", None),
        (
            "allOf/type_mismatch.json",
            Some("requires `string` but #/paths"),
        ),
        // ogen's "convenient errors" mode, which needs every operation to share a default
        // response: each operation here simply has its own error type.
        ("convenient_errors/different_response.json", None),
        ("convenient_errors/no_default.json", None),
        ("convenient_errors/unsupported_ct.json", None),
        ("cyclic/allOf_double.json", Some(CYCLE)),
        // Recursion through an array's items, which a `Vec` holds.
        ("cyclic/allOf_property.yaml", None),
        ("cyclic/allOf_single.json", Some(CYCLE)),
        ("cyclic/anyOf_double.json", Some(CYCLE)),
        ("cyclic/anyOf_single.json", Some(CYCLE)),
        ("cyclic/oneOf_double.json", Some(CYCLE)),
        ("cyclic/oneOf_single.json", Some(CYCLE)),
        // Names that clash with the fields ogen adds for additional and pattern properties,
        // or only under ogen's own `x-ogen-*` extensions.
        ("field_naming/conflict_additional_props.yaml", None),
        ("field_naming/conflict_pattern_props.yaml", None),
        ("field_naming/extension_additional_props.yaml", None),
        ("field_naming/extension_pattern_props.yaml", None),
        ("field_naming/overriden_by_extension.yaml", None),
        ("field_naming/type_extension.yml", None),
        // A UUID or the value "inbox": strings that no value is both of, tried in order.
        ("oneOf/same_json_type_one_of.json", None),
        ("router/two_parameter_in_a_row.json", Some("side by side")),
        ("wrong_default_type/array_value.json", Some(WRONG_DEFAULT)),
        ("wrong_default_type/bool_value.json", Some(WRONG_DEFAULT)),
        ("wrong_default_type/float_value.json", Some(WRONG_DEFAULT)),
        ("wrong_default_type/null_value.json", Some(WRONG_DEFAULT)),
        ("wrong_default_type/object_value.json", Some(WRONG_DEFAULT)),
        ("wrong_default_type/string_value.json", Some(WRONG_DEFAULT)),
        (
            "wrong_enum_type/string_value.json",
            Some("enum value `\"1\"` is not an integer"),
        ),
    ];
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/peers/ogen/negative");
    let mut found = Vec::new();
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(&root) {
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    let listed: Vec<&str> = expected.iter().map(|(spec, _)| *spec).collect();
    assert_eq!(found, listed, "the folder's specs and this list differ");
    let case = Case::new("ogen");
    for (spec, refusal) in expected {
        let spec = root.join(spec);
        match refusal {
            Some(message) => {
                case.refused_with(&spec, &["--strict"], &["error:", message]);
            }
            None => {
                let output = case.generate_with(&spec, &["--strict"]);
                assert!(
                    output.status.success(),
                    "{}: {}",
                    spec.display(),
                    String::from_utf8_lossy(&output.stderr)
                );
            }
        }
    }
}

const SWAGGER2: &str = "swagger: '2.0'\ninfo: {title: t, version: '1'}\n";

/// A Swagger 2.0 document is converted before it is read, but what is wrong in it is told at
/// its own pointer, line and column, not at where the conversion put it: a definition is at
/// `#/definitions`, a parameter's type is the parameter, a response's schema is its `schema`.
#[test]
fn swagger_2_diagnostics_point_into_the_2_0_document() {
    let case = Case::new("swagger2");
    let spec = case.file(
        "spec.yaml",
        format!(
            "{SWAGGER2}paths:\n  /pets:\n    get:\n      parameters:\n        \
             - {{name: size, in: query, type: integer, default: big}}\n        \
             - {{name: tags, in: query, type: array, items: {{type: string}}, collectionFormat: tsv}}\n      \
             responses:\n        '200':\n          description: ok\n          \
             schema: {{type: integer, enum: ['1']}}\n\
             definitions:\n  Pet:\n    type: string\n    maximum: 9\n"
        ),
    );
    case.generated(
        &spec,
        &[
            // Found by the model, in the parameter's converted `schema`.
            "(at #/paths/~1pets/get/parameters/0/default)",
            "spec.yaml:7:50",
            // Found while converting.
            "`collectionFormat: tsv` has no OpenAPI 3 style",
            "(at #/paths/~1pets/get/parameters/1/collectionFormat)",
            "spec.yaml:8:71",
            // In a response's schema, which the conversion puts under a media type.
            "(at #/paths/~1pets/get/responses/200/schema/enum/0)",
            "spec.yaml:12:42",
            // In a definition, which becomes `#/components/schemas/Pet`.
            "(at #/definitions/Pet/maximum)",
            "spec.yaml:16:5",
        ],
    );
    let mixed = case.file(
        "mixed.yaml",
        format!(
            "{SWAGGER2}paths: {{}}\ndefinitions:\n  Mixed:\n    allOf:\n      \
             - type: object\n      - type: string\n"
        ),
    );
    case.refused(
        &mixed,
        &[
            "requires `string` but #/definitions/Mixed/allOf/0 requires `object`",
            "(at #/definitions/Mixed/allOf/1)",
            "mixed.yaml:8:13",
        ],
    );
}

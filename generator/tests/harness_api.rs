//! What harnesses read of a spec besides the code: each example with its type and schema, and
//! each component schema's type.

use std::path::PathBuf;

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
            examples:
              inline: {value: {name: Rex}}
              shared: {$ref: "#/components/examples/Tom"}
      responses:
        "201":
          description: added
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
              example: [{name: Rex}]
components:
  examples:
    Tom: {value: {name: Tom}}
  schemas:
    Pet:
      type: object
      required: [name]
      properties: {name: {type: string}}
      example: {name: Fido}
    Maybe/Pet: {allOf: [{$ref: "#/components/schemas/Pet"}], nullable: true}
"##;

/// Each test writes its own copy: the tests run in parallel in one process, and a shared path
/// lets one test remove the file while the other is reading it.
fn spec(test: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "generator-harness-api-{}-{test}.yaml",
        std::process::id()
    ));
    std::fs::write(&path, SPEC).expect("write the spec");
    path
}

#[test]
fn examples_carry_their_type_and_schema() {
    let spec = spec("examples");
    let examples = specwright::spec_examples(&spec).expect("examples");
    let seen: Vec<(&str, &str, String)> = examples
        .iter()
        .map(|e| (e.schema.as_str(), e.rust_type.as_str(), e.json.to_string()))
        .collect();
    let body = "/paths/~1pets/post/requestBody/content/application~1json/schema";
    let response = "/paths/~1pets/post/responses/201/content/application~1json/schema";
    assert_eq!(
        seen,
        [
            (
                "/components/schemas/Pet",
                "types::Pet",
                r#"{"name":"Fido"}"#.to_owned()
            ),
            (body, "types::Pet", r#"{"name":"Rex"}"#.to_owned()),
            (body, "types::Pet", r#"{"name":"Tom"}"#.to_owned()),
            (
                response,
                "Vec<types::Pet>",
                r#"[{"name":"Rex"}]"#.to_owned()
            ),
        ]
    );
    let _ = std::fs::remove_file(spec);
}

#[test]
fn component_types_name_each_schema_by_its_key() {
    let spec = spec("types");
    let types = specwright::component_types(&spec).expect("types");
    let _ = std::fs::remove_file(&spec);
    let pairs: Vec<(&str, &str)> = types
        .iter()
        .map(|(k, t)| (k.as_str(), t.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("Pet", "types::Pet"),
            ("Maybe/Pet", "Option<types::MaybePet>")
        ]
    );
}

//! AWS CloudFormation (and SAM) templates: one `cloudformation` resource
//! per entry of `Resources`.
//!
//! A template is YAML or JSON whose top level has
//! `AWSTemplateFormatVersion`, or `Resources` with an entry whose `Type`
//! starts with `AWS::`. Short-form tags (`!Ref`, `!Sub` …) are read as
//! their long forms (`{"Ref": …}`, `{"Fn::Sub": …}`). See
//! `docs/kinds/cloudformation.md`.

use super::yaml::YamlDocument;
use crate::resource::{Resource, escape_pointer_token};
use serde_json::Value;

/// The resource kind.
pub const KIND: &str = "cloudformation";

/// Whether the documents are a CloudFormation template.
pub fn detect(documents: &[YamlDocument]) -> bool {
    let [document] = documents else {
        return false;
    };
    let Some(top) = document.value.as_object() else {
        return false;
    };
    if top.contains_key("AWSTemplateFormatVersion") {
        return true;
    }
    top.get("Resources")
        .and_then(Value::as_object)
        .is_some_and(|resources| {
            resources.values().any(|r| {
                r.get("Type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.starts_with("AWS::"))
            })
        })
}

/// One resource per entry of `Resources`: the entry as written (`Type`,
/// `Properties` …), id `cloudformation:<LogicalId>`.
///
/// ```
/// use rampart_core::inventory::{cloudformation, yaml};
/// let text = "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${AWS::StackName}-logs'\n";
/// let resources = cloudformation::resources("stack.yaml", yaml::parse_documents(text).unwrap());
/// assert_eq!(resources[0].id, "cloudformation:Logs");
/// assert_eq!(resources[0].document["Properties"]["BucketName"]["Fn::Sub"], "${AWS::StackName}-logs");
/// assert_eq!(resources[0].spans.get("/Properties/BucketName").unwrap().start_line, 5);
/// ```
pub fn resources(source: &str, documents: Vec<YamlDocument>) -> Vec<Resource> {
    let Some(YamlDocument { value, spans }) = documents.into_iter().next() else {
        return Vec::new();
    };
    let Value::Object(mut top) = value else {
        return Vec::new();
    };
    let Some(Value::Object(entries)) = top.remove("Resources") else {
        return Vec::new();
    };
    entries
        .into_iter()
        .filter(|(_, entry)| entry.is_object())
        .map(|(logical_id, entry)| {
            let spans = spans.subtree(&format!("/Resources/{}", escape_pointer_token(&logical_id)));
            Resource::new(KIND, format!("cloudformation:{logical_id}"), source, entry)
                .with_spans(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::yaml::parse_documents;

    #[test]
    fn detection() {
        let detect_text = |text: &str| detect(&parse_documents(text).unwrap());
        assert!(detect_text(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n"
        ));
        assert!(detect_text(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n"
        ));
        assert!(detect_text(
            "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}}"
        ));
        assert!(!detect_text("Resources:\n  B:\n    Type: Custom\n"));
        assert!(!detect_text("apiVersion: v1\nkind: Pod\n"));
    }
}

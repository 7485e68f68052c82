//! IAM's vocabulary, defined once for the validator and the renderers: for now the service
//! principals and the condition keys that hold them.

pub mod service_principals;

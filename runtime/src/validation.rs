//! The spec's constraints, checked on request values before anything is sent.

use crate::{Map, Uuid};
use std::fmt;

/// A request value that breaks a constraint of the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Where the value sits, such as `body.reason`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.path, self.message)
    }
}

impl std::error::Error for ValidationError {}

/// Joins a field onto a validation path.
pub fn join(path: &str, field: &str) -> String {
    format!("{path}.{field}")
}

/// A type whose values are checked against the spec's constraints before sending.
pub trait Validate {
    fn validate(&self, path: &str) -> Result<(), ValidationError>;
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        (**self).validate(path)
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        self.as_ref().map_or(Ok(()), |value| value.validate(path))
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        (**self).validate(path)
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        self.iter()
            .enumerate()
            .try_for_each(|(index, item)| item.validate(&format!("{path}[{index}]")))
    }
}

impl<T: Validate> Validate for Map<T> {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        self.iter()
            .try_for_each(|(key, item)| item.validate(&join(path, key)))
    }
}

/// The JSON Schema validation keywords of one value.
#[derive(Clone, Copy, Debug)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<f64>,
    pub exclusive_minimum: bool,
    pub maximum: Option<f64>,
    pub exclusive_maximum: bool,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

impl Constraints {
    pub const NONE: Self = Self {
        min_length: None,
        max_length: None,
        minimum: None,
        exclusive_minimum: false,
        maximum: None,
        exclusive_maximum: false,
        min_items: None,
        max_items: None,
    };
}

/// A value that [`Constraints`] apply to.
pub trait Constrained {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError>;
}

fn invalid(path: &str, message: String) -> Result<(), ValidationError> {
    Err(ValidationError {
        path: path.to_owned(),
        message,
    })
}

impl<T: Constrained + ?Sized> Constrained for &T {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        (**self).check(constraints, path)
    }
}

impl Constrained for String {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.as_str().check(constraints, path)
    }
}

impl Constrained for Uuid {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.to_string().check(constraints, path)
    }
}

impl Constrained for str {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        let length = self.chars().count();
        if let Some(max) = constraints.max_length.filter(|max| length > *max) {
            return invalid(
                path,
                format!("must be at most {max} characters long (it is {length})"),
            );
        }
        if let Some(min) = constraints.min_length.filter(|min| length < *min) {
            return invalid(
                path,
                format!("must be at least {min} characters long (it is {length})"),
            );
        }
        Ok(())
    }
}

macro_rules! constrained_number {
    ($($number:ty),*) => {$(
        impl Constrained for $number {
            fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
                check_number(*self as f64, constraints, path)
            }
        }
    )*};
}

constrained_number!(i32, i64, f32, f64);

fn check_number(value: f64, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
    if let Some(min) = constraints.minimum {
        if value < min || (constraints.exclusive_minimum && value == min) {
            let relation = if constraints.exclusive_minimum {
                "greater than"
            } else {
                "at least"
            };
            return invalid(path, format!("must be {relation} {min} (it is {value})"));
        }
    }
    if let Some(max) = constraints.maximum {
        if value > max || (constraints.exclusive_maximum && value == max) {
            let relation = if constraints.exclusive_maximum {
                "less than"
            } else {
                "at most"
            };
            return invalid(path, format!("must be {relation} {max} (it is {value})"));
        }
    }
    Ok(())
}

impl<T> Constrained for Vec<T> {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.as_slice().check(constraints, path)
    }
}

impl<T> Constrained for [T] {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        let count = self.len();
        if let Some(max) = constraints.max_items.filter(|max| count > *max) {
            return invalid(
                path,
                format!("must have at most {max} items (it has {count})"),
            );
        }
        if let Some(min) = constraints.min_items.filter(|min| count < *min) {
            return invalid(
                path,
                format!("must have at least {min} items (it has {count})"),
            );
        }
        Ok(())
    }
}

impl<T: Constrained> Constrained for Option<T> {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.as_ref()
            .map_or(Ok(()), |value| value.check(constraints, path))
    }
}

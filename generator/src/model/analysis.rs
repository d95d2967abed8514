//! Whole-model facts that no single schema knows: which fields need a `Box` to break a cycle,
//! which types are sent in requests, and which hold constraints to check before sending.

use super::{Operation, TypeDef, TypeId, TypeKind, TypeRef};
use crate::diagnostics::Diagnostic;

pub fn analyse(types: &mut [TypeDef], operations: &[Operation], diagnostics: &mut Vec<Diagnostic>) {
    report_alias_cycles(types, diagnostics);
    box_cycles(types);
    mark_requests(types, operations);
    mark_validation(types);
}

/// `A: {$ref: B}`, `B: {$ref: A}` names no type at all: nothing between the references says
/// what a value looks like.
fn report_alias_cycles(types: &[TypeDef], diagnostics: &mut Vec<Diagnostic>) {
    for (start, def) in types.iter().enumerate() {
        let mut current = start;
        for _ in 0..types.len() {
            let Some(TypeKind::Alias(TypeRef::Named(next))) = types.get(current).map(|t| &t.kind)
            else {
                break;
            };
            current = *next;
            if current == start {
                diagnostics.push(Diagnostic::error(
                    def.origin.clone(),
                    "this `$ref` leads back to itself with no schema in between",
                ));
                break;
            }
        }
    }
}

/// Types embedded by value (not behind `Vec` or a map, which already allocate).
fn direct_targets(kind: &TypeKind) -> Vec<TypeId> {
    let mut targets = Vec::new();
    let mut push = |ty: &TypeRef| {
        if let TypeRef::Named(id) = ty {
            targets.push(*id);
        }
    };
    match kind {
        TypeKind::Struct(fields) => fields.iter().for_each(|f| push(&f.ty)),
        TypeKind::Union { variants, .. } => variants.iter().for_each(|v| push(&v.ty)),
        TypeKind::Alias(ty) => push(ty),
        TypeKind::Enum { .. } => {}
    }
    targets
}

fn all_targets(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => all_targets(inner, out),
        TypeRef::Primitive(_) => {}
    }
}

fn kind_targets(kind: &TypeKind) -> Vec<TypeId> {
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct(fields) => fields.iter().for_each(|f| all_targets(&f.ty, &mut out)),
        TypeKind::Union { variants, .. } => {
            variants.iter().for_each(|v| all_targets(&v.ty, &mut out));
        }
        TypeKind::Alias(ty) => all_targets(ty, &mut out),
        TypeKind::Enum { .. } => {}
    }
    out
}

/// A field is boxed when its type is in the same strongly connected component as its owner:
/// only then does embedding it by value make the type infinitely large.
fn box_cycles(types: &mut [TypeDef]) {
    let edges: Vec<Vec<TypeId>> = types.iter().map(|t| direct_targets(&t.kind)).collect();
    let component = strongly_connected(&edges);
    for (owner, def) in types.iter_mut().enumerate() {
        let in_cycle = |ty: &TypeRef| match ty {
            TypeRef::Named(id) => component.get(*id) == component.get(owner),
            _ => false,
        };
        match &mut def.kind {
            TypeKind::Struct(fields) => {
                for field in fields {
                    field.boxed = in_cycle(&field.ty);
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants {
                    variant.boxed = in_cycle(&variant.ty);
                }
            }
            TypeKind::Alias(_) | TypeKind::Enum { .. } => {}
        }
    }
}

/// Per-node bookkeeping of Tarjan's algorithm, read and written without indexing: an id out
/// of range reads as unvisited and writes nowhere.
struct Marks {
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    component: Vec<usize>,
}

const UNVISITED: usize = usize::MAX;

impl Marks {
    fn index(&self, node: usize) -> usize {
        self.index.get(node).copied().unwrap_or(UNVISITED)
    }

    fn low(&self, node: usize) -> usize {
        self.low.get(node).copied().unwrap_or(UNVISITED)
    }

    fn on_stack(&self, node: usize) -> bool {
        self.on_stack.get(node).copied().unwrap_or(false)
    }

    fn set(values: &mut [usize], node: usize, value: usize) {
        if let Some(slot) = values.get_mut(node) {
            *slot = value;
        }
    }

    fn set_on_stack(&mut self, node: usize, value: bool) {
        if let Some(slot) = self.on_stack.get_mut(node) {
            *slot = value;
        }
    }

    fn lower(&mut self, node: usize, candidate: usize) {
        let low = self.low(node).min(candidate);
        Self::set(&mut self.low, node, low);
    }
}

/// Tarjan's algorithm, iterative so that deep graphs cannot overflow the stack.
/// Returns the component number of each node.
fn strongly_connected(edges: &[Vec<TypeId>]) -> Vec<usize> {
    let count = edges.len();
    let mut marks = Marks {
        index: vec![UNVISITED; count],
        low: vec![0; count],
        on_stack: vec![false; count],
        component: vec![UNVISITED; count],
    };
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..count {
        if marks.index(root) != UNVISITED {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && marks.index(node) == UNVISITED {
                Marks::set(&mut marks.index, node, next_index);
                Marks::set(&mut marks.low, node, next_index);
                next_index += 1;
                stack.push(node);
                marks.set_on_stack(node, true);
            }
            let targets = edges.get(node).map_or(&[][..], Vec::as_slice);
            if let Some(&target) = targets.get(*edge) {
                *edge += 1;
                if target >= count {
                    continue;
                }
                if marks.index(target) == UNVISITED {
                    work.push((target, 0));
                } else if marks.on_stack(target) {
                    let target_index = marks.index(target);
                    marks.lower(node, target_index);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                let node_low = marks.low(node);
                marks.lower(parent, node_low);
            }
            if marks.low(node) == marks.index(node) {
                while let Some(member) = stack.pop() {
                    marks.set_on_stack(member, false);
                    Marks::set(&mut marks.component, member, next_component);
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    marks.component
}

fn mark_requests(types: &mut [TypeDef], operations: &[Operation]) {
    let mut pending = Vec::new();
    for operation in operations {
        if let Some(body) = &operation.body {
            all_targets(&body.ty, &mut pending);
        }
    }
    while let Some(id) = pending.pop() {
        let Some(def) = types.get_mut(id) else {
            continue;
        };
        if def.in_request {
            continue;
        }
        def.in_request = true;
        pending.extend(kind_targets(&def.kind));
    }
}

/// Fixpoint: a type needs validation if a field carries constraints or its type needs it.
fn mark_validation(types: &mut [TypeDef]) {
    loop {
        let mut changed = false;
        for id in 0..types.len() {
            let Some(def) = types.get(id).filter(|def| !def.needs_validation) else {
                continue;
            };
            let own = match &def.kind {
                TypeKind::Struct(fields) => fields.iter().any(|f| !f.constraints.is_empty()),
                _ => false,
            };
            let nested = kind_targets(&def.kind)
                .into_iter()
                .any(|target| types.get(target).is_some_and(|t| t.needs_validation));
            if let Some(def) = types.get_mut(id).filter(|_| own || nested) {
                def.needs_validation = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn finds_cycles() {
        // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 alone
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![]];
        let component = strongly_connected(&edges);
        assert_eq!(component[0], component[1]);
        assert_eq!(component[1], component[2]);
        assert_ne!(component[0], component[3]);
        assert_ne!(component[3], component[4]);
    }
}

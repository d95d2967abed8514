//! Whole-model facts that no single schema knows: which fields need a `Box` to break a cycle,
//! which types are sent in requests, and which hold constraints to check before sending.

use super::{Operation, Primitive, TypeDef, TypeId, TypeKind, TypeRef};
use crate::diagnostics::Diagnostic;

pub fn analyse(types: &mut [TypeDef], operations: &[Operation], diagnostics: &mut Vec<Diagnostic>) {
    report_alias_cycles(types, diagnostics);
    mark_recursive_aliases(types);
    order_untagged_variants(types);
    box_cycles(types);
    mark_requests(types, operations);
    relax_one_way_fields(types, operations);
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

/// An untagged union takes the first variant that decodes, so the stricter shapes go first: a
/// uuid before a string enum (which keeps any string) before a plain string, an integer before
/// a number, structs with more required fields before those with fewer, maps and free-form
/// values last. Variants equally strict keep the spec's order.
fn order_untagged_variants(types: &mut [TypeDef]) {
    let ranks: Vec<Option<Vec<(usize, usize, usize)>>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Union {
                variants,
                discriminator: None,
            } => Some(variants.iter().map(|v| strictness(types, &v.ty)).collect()),
            _ => None,
        })
        .collect();
    for (def, ranks) in types.iter_mut().zip(ranks) {
        if let (TypeKind::Union { variants, .. }, Some(ranks)) = (&mut def.kind, ranks) {
            let mut ranked: Vec<_> = ranks.into_iter().zip(variants.drain(..)).collect();
            ranked.sort_by_key(|(rank, _)| *rank);
            variants.extend(ranked.into_iter().map(|(_, variant)| variant));
        }
    }
}

/// Lower is stricter: (class, fewer required fields last, fewer fields last).
fn strictness(types: &[TypeDef], ty: &TypeRef) -> (usize, usize, usize) {
    let mut ty = ty;
    for _ in 0..types.len() {
        match ty {
            TypeRef::Named(id) => match types.get(*id).map(|def| &def.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                Some(TypeKind::Struct(fields)) => {
                    let required = fields.iter().filter(|f| f.required && !f.flatten).count();
                    return (1, usize::MAX - required, usize::MAX - fields.len());
                }
                Some(TypeKind::Enum { .. } | TypeKind::Union { .. } | TypeKind::External(_))
                | None => return (1, 0, 0),
            },
            TypeRef::Primitive(primitive) => {
                let class = match primitive {
                    Primitive::Boolean
                    | Primitive::Integer
                    | Primitive::Uuid
                    | Primitive::DateTime
                    | Primitive::Date
                    | Primitive::Base64 => 0,
                    Primitive::Number | Primitive::DecimalNumber => 1,
                    // A union variant is the plain type, and rust_decimal's reads numbers too:
                    // strings' turn, after the numbers'.
                    Primitive::String | Primitive::Decimal | Primitive::File | Primitive::Bytes => {
                        2
                    }
                    Primitive::Any | Primitive::UnknownFields => 4,
                };
                return (class, 0, 0);
            }
            TypeRef::Array(_) => return (1, 0, 0),
            TypeRef::Map(_) => return (3, 0, 0),
            // `null` decodes only here, anything else only as what it wraps.
            TypeRef::Nullable(inner) => ty = inner,
        }
    }
    (4, 0, 0)
}

/// Aliases whose target holds the alias itself, through lists, maps and other aliases only.
fn mark_recursive_aliases(types: &mut [TypeDef]) {
    let recursive: Vec<bool> = (0..types.len())
        .map(|start| {
            let Some(TypeKind::Alias(target)) = types.get(start).map(|def| &def.kind) else {
                return false;
            };
            let mut seen = vec![false; types.len()];
            let mut pending = vec![target];
            while let Some(ty) = pending.pop() {
                match ty {
                    TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                        pending.push(inner);
                    }
                    TypeRef::Named(id) if *id == start => return true,
                    TypeRef::Named(id) => {
                        let fresh = seen
                            .get_mut(*id)
                            .is_some_and(|s| !std::mem::replace(s, true));
                        if let (true, Some(TypeKind::Alias(next))) =
                            (fresh, types.get(*id).map(|def| &def.kind))
                        {
                            pending.push(next);
                        }
                    }
                    TypeRef::Primitive(_) => {}
                }
            }
            false
        })
        .collect();
    for (def, recursive) in types.iter_mut().zip(recursive) {
        def.newtype = recursive;
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
        TypeKind::Enum { .. } | TypeKind::External(_) => {}
    }
    targets
}

pub(super) fn all_targets(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            all_targets(inner, out);
        }
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
        TypeKind::Enum { .. } | TypeKind::External(_) => {}
    }
    out
}

/// How many types deep the longest chain of types inside types goes (by value, boxed, or in
/// lists and maps; the types of a cycle count as one level). rustc's trait solver recurses
/// once or twice a level, so a deep chain needs a higher `recursion_limit` than its default.
pub fn nesting_depth(types: &[TypeDef]) -> usize {
    let edges: Vec<Vec<TypeId>> = types.iter().map(|t| kind_targets(&t.kind)).collect();
    longest_chain(&edges)
}

/// The number of nodes on the longest path, a cycle counting as one node.
fn longest_chain(edges: &[Vec<TypeId>]) -> usize {
    let component = strongly_connected(edges);
    let count = component.iter().max().map_or(0, |max| max + 1);
    // The condensation: one node per cycle, so that the longest path is well defined.
    let mut inner: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (from, targets) in edges.iter().enumerate() {
        let Some(&from) = component.get(from) else {
            continue;
        };
        for &to in targets {
            if let Some(&to) = component.get(to)
                && to != from
                && let Some(list) = inner.get_mut(from)
            {
                list.push(to);
            }
        }
    }
    let mut depth: Vec<Option<usize>> = vec![None; count];
    for start in 0..count {
        // Depth-first without recursion: (node, index of its next edge to follow).
        let mut path = vec![(start, 0)];
        while let Some((node, next)) = path.last().copied() {
            if depth.get(node).is_some_and(Option::is_some) {
                path.pop();
                continue;
            }
            let targets = inner.get(node).map_or(&[][..], Vec::as_slice);
            match targets.get(next) {
                Some(&child) => {
                    if let Some(last) = path.last_mut() {
                        last.1 += 1;
                    }
                    if depth.get(child).is_some_and(Option::is_none) {
                        path.push((child, 0));
                    }
                }
                None => {
                    let deepest = targets
                        .iter()
                        .filter_map(|&child| depth.get(child).copied().flatten())
                        .max()
                        .unwrap_or(0);
                    if let Some(slot) = depth.get_mut(node) {
                        *slot = Some(deepest + 1);
                    }
                    path.pop();
                }
            }
        }
    }
    depth.into_iter().flatten().max().unwrap_or(0)
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
            TypeKind::Alias(_) | TypeKind::Enum { .. } | TypeKind::External(_) => {}
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
    let bodies = operations
        .iter()
        .filter_map(|op| op.body.as_ref().map(|b| &b.ty));
    for id in reachable(types, bodies) {
        if let Some(def) = types.get_mut(id) {
            def.in_request = true;
        }
    }
}

/// Every type reachable from `roots`.
fn reachable<'t>(types: &[TypeDef], roots: impl Iterator<Item = &'t TypeRef>) -> Vec<TypeId> {
    let mut pending = Vec::new();
    roots.for_each(|root| all_targets(root, &mut pending));
    reachable_ids(types, pending)
}

/// Every type reachable from the types `pending`, those included.
pub(super) fn reachable_ids(types: &[TypeDef], mut pending: Vec<TypeId>) -> Vec<TypeId> {
    let mut seen = vec![false; types.len()];
    let mut found = Vec::new();
    while let Some(id) = pending.pop() {
        let Some((def, seen)) = types.get(id).zip(seen.get_mut(id)) else {
            continue;
        };
        if !std::mem::replace(seen, true) {
            found.push(id);
            pending.extend(kind_targets(&def.kind));
        }
    }
    found
}

/// A required `readOnly` field cannot be required of a request, which must leave it out, nor a
/// required `writeOnly` field of a response, which never holds it: in types used that way such
/// fields become optional.
fn relax_one_way_fields(types: &mut [TypeDef], operations: &[Operation]) {
    let responses = operations
        .iter()
        .flat_map(|op| op.responses.iter().filter_map(|r| r.body.as_ref()));
    let mut in_response = vec![false; types.len()];
    for id in reachable(types, responses) {
        if let Some(mark) = in_response.get_mut(id) {
            *mark = true;
        }
    }
    for (def, in_response) in types.iter_mut().zip(in_response) {
        let in_request = def.in_request;
        if let TypeKind::Struct(fields) = &mut def.kind {
            for field in fields {
                if (field.read_only && in_request) || (field.write_only && in_response) {
                    field.required = false;
                }
            }
        }
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
    use super::{longest_chain, strongly_connected};

    #[test]
    fn the_longest_chain_counts_a_cycle_once_whichever_node_it_is_entered_by() {
        // 0 <-> 1, 1 -> 2 -> ... -> 61, and 62 -> 0: from 62, 62 levels.
        let mut edges: Vec<Vec<usize>> = vec![vec![1], vec![0, 2]];
        edges.extend((2..61).map(|node| vec![node + 1]));
        edges.push(vec![]);
        edges.push(vec![0]);
        assert_eq!(longest_chain(&edges), 62);
        // Entered from 1 first, the cycle's depth is still found for 0.
        let mut reordered = edges.clone();
        reordered.swap(0, 1);
        for list in &mut reordered {
            for to in list.iter_mut() {
                *to = match *to {
                    0 => 1,
                    1 => 0,
                    other => other,
                };
            }
        }
        assert_eq!(longest_chain(&reordered), 62);
        assert_eq!(longest_chain(&[]), 0);
    }

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

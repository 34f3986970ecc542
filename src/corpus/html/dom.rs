//! The tree html5ever builds, kept as simply as reading a page needs.
//!
//! html5ever leaves the tree to its user: it calls a [`TreeSink`] to create and move nodes.
//! This one keeps the nodes in a vector, linked to parent and siblings by index, so that every
//! move the tree builder makes (foster parenting, adoption of misnested formatting elements) is
//! a few index updates, and so that walking a tree of any depth needs no recursion.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName, parse_document};

/// The index of a node in [`Dom::nodes`].
pub(super) type NodeId = usize;

/// The document node, the root of the tree.
const DOCUMENT: NodeId = 0;

/// A parsed HTML document.
pub(super) struct Dom {
    nodes: Vec<Node>,
}

struct Node {
    parent: Option<NodeId>,
    previous_sibling: Option<NodeId>,
    next_sibling: Option<NodeId>,
    first_child: Option<NodeId>,
    last_child: Option<NodeId>,
    data: NodeData,
}

enum NodeData {
    /// The document, or a template's contents.
    Document,
    Element(Element),
    Text(StrTendril),
    /// Comments, processing instructions and the doctype: nothing a reader sees.
    Other,
}

/// An element: its name and attributes.
pub(super) struct Element {
    name: QualName,
    attrs: Vec<Attribute>,
    template_contents: Option<NodeId>,
    mathml_annotation_xml_integration_point: bool,
}

impl Element {
    /// The local name, lowercase: `p`, `meta`, `main`.
    pub(super) fn name(&self) -> &str {
        &self.name.local
    }

    /// The value of an attribute, by its lowercase name.
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| &*a.value)
    }

    /// Whether the element has an attribute, whatever its value.
    pub(super) fn has_attr(&self, name: &str) -> bool {
        self.attr(name).is_some()
    }
}

/// One step of a walk through a subtree: an element or text, entered or left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// The walk enters a node; it descends into the node's children if the visitor says so.
    Open(NodeId),
    /// The walk leaves a node it descended into.
    Close(NodeId),
}

impl Dom {
    /// Parses a document as a browser does, repairing what is broken.
    pub(super) fn parse(html: &str) -> Dom {
        let sink = Sink {
            nodes: RefCell::new(vec![Node::new(NodeData::Document)]),
        };
        parse_document(sink, Default::default()).one(html)
    }

    /// The document node.
    pub(super) fn document(&self) -> NodeId {
        DOCUMENT
    }

    /// The node's element, if it is one.
    pub(super) fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes[id].data {
            NodeData::Element(element) => Some(element),
            _ => None,
        }
    }

    /// The node's text, if it is a text node.
    pub(super) fn text(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].data {
            NodeData::Text(text) => Some(text),
            _ => None,
        }
    }

    /// Walks the subtree under `root` (not `root` itself) in document order. `visit` is called
    /// with [`Step::Open`] for every node it reaches; if it returns `true`, the walk enters the
    /// node, goes through its children and then calls it with [`Step::Close`] for the node; if
    /// it returns `false`, the walk passes over the node's subtree and does not close it.
    pub(super) fn walk(&self, root: NodeId, mut visit: impl FnMut(Step) -> bool) {
        let mut next = self.nodes[root].first_child;
        while let Some(id) = next {
            let entered = visit(Step::Open(id));
            if entered && let Some(child) = self.nodes[id].first_child {
                next = Some(child);
                continue;
            }
            if entered {
                visit(Step::Close(id));
            }
            // Go to the next sibling, closing the ancestors that have none left.
            let mut done = id;
            next = loop {
                if let Some(sibling) = self.nodes[done].next_sibling {
                    break Some(sibling);
                }
                match self.nodes[done].parent {
                    Some(parent) if parent != root => {
                        visit(Step::Close(parent));
                        done = parent;
                    }
                    _ => break None,
                }
            };
        }
    }

    /// The elements under `root` in document order.
    pub(super) fn elements(&self, root: NodeId) -> Vec<(NodeId, &Element)> {
        let mut found = Vec::new();
        self.walk(root, |step| {
            if let Step::Open(id) = step
                && let Some(element) = self.element(id)
            {
                found.push((id, element));
            }
            true
        });
        found
    }

    /// The text under a node, as it stands in the source.
    pub(super) fn text_content(&self, id: NodeId) -> String {
        let mut text = String::new();
        self.walk(id, |step| {
            if let Step::Open(id) = step
                && let Some(t) = self.text(id)
            {
                text.push_str(t);
            }
            true
        });
        text
    }
}

impl Node {
    fn new(data: NodeData) -> Node {
        Node {
            parent: None,
            previous_sibling: None,
            next_sibling: None,
            first_child: None,
            last_child: None,
            data,
        }
    }
}

/// Builds a [`Dom`] for html5ever.
struct Sink {
    nodes: RefCell<Vec<Node>>,
}

impl Sink {
    fn add(&self, data: NodeData) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node::new(data));
        nodes.len() - 1
    }

    fn detach(&self, id: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        let node = &mut nodes[id];
        let (parent, previous, next) = (node.parent, node.previous_sibling, node.next_sibling);
        node.parent = None;
        node.previous_sibling = None;
        node.next_sibling = None;
        let Some(parent) = parent else { return };
        match previous {
            Some(previous) => nodes[previous].next_sibling = next,
            None => nodes[parent].first_child = next,
        }
        match next {
            Some(next) => nodes[next].previous_sibling = previous,
            None => nodes[parent].last_child = previous,
        }
    }

    fn append_node(&self, parent: NodeId, child: NodeId) {
        self.detach(child);
        let mut nodes = self.nodes.borrow_mut();
        let last = nodes[parent].last_child;
        nodes[child].parent = Some(parent);
        nodes[child].previous_sibling = last;
        match last {
            Some(last) => nodes[last].next_sibling = Some(child),
            None => nodes[parent].first_child = Some(child),
        }
        nodes[parent].last_child = Some(child);
    }

    fn insert_before(&self, sibling: NodeId, child: NodeId) {
        self.detach(child);
        let mut nodes = self.nodes.borrow_mut();
        let parent = nodes[sibling]
            .parent
            .expect("html5ever inserts before a node that has a parent");
        let previous = nodes[sibling].previous_sibling;
        nodes[child].parent = Some(parent);
        nodes[child].previous_sibling = previous;
        nodes[child].next_sibling = Some(sibling);
        nodes[sibling].previous_sibling = Some(child);
        match previous {
            Some(previous) => nodes[previous].next_sibling = Some(child),
            None => nodes[parent].first_child = Some(child),
        }
    }

    /// Appends text to a text node, if `id` is one; adjacent text is one node.
    fn extend_text(&self, id: Option<NodeId>, text: &StrTendril) -> bool {
        let Some(id) = id else { return false };
        match &mut self.nodes.borrow_mut()[id].data {
            NodeData::Text(existing) => {
                existing.push_tendril(text);
                true
            }
            _ => false,
        }
    }

    fn element_mut<R>(&self, id: NodeId, f: impl FnOnce(&mut Element) -> R) -> R {
        match &mut self.nodes.borrow_mut()[id].data {
            NodeData::Element(element) => f(element),
            _ => panic!("html5ever asks for an element where there is none"),
        }
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Dom;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {
        // Broken markup is the rule on the web; the tree builder has repaired it already.
    }

    fn get_document(&self) -> NodeId {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |nodes| match &nodes[*target].data {
            NodeData::Element(element) => &element.name,
            _ => panic!("html5ever asks for the name of a node that is no element"),
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let template_contents = flags.template.then(|| self.add(NodeData::Document));
        self.add(NodeData::Element(Element {
            name,
            attrs,
            template_contents,
            mathml_annotation_xml_integration_point: flags.mathml_annotation_xml_integration_point,
        }))
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.add(NodeData::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.add(NodeData::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        match child {
            NodeOrText::AppendNode(node) => self.append_node(*parent, node),
            NodeOrText::AppendText(text) => {
                let last = self.nodes.borrow()[*parent].last_child;
                if !self.extend_text(last, &text) {
                    let node = self.add(NodeData::Text(text));
                    self.append_node(*parent, node);
                }
            }
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        let node = self.add(NodeData::Other);
        self.append_node(DOCUMENT, node);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.element_mut(*target, |element| element.template_contents)
            .expect("html5ever asks for the contents of a template only")
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        match new_node {
            NodeOrText::AppendNode(node) => self.insert_before(*sibling, node),
            NodeOrText::AppendText(text) => {
                let previous = self.nodes.borrow()[*sibling].previous_sibling;
                if !self.extend_text(previous, &text) {
                    let node = self.add(NodeData::Text(text));
                    self.insert_before(*sibling, node);
                }
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.element_mut(*target, |element| {
            for attr in attrs {
                if !element.attrs.iter().any(|a| a.name == attr.name) {
                    element.attrs.push(attr);
                }
            }
        });
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.detach(*target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        // The borrow must end before the child moves: in a `while let` it would last for the
        // whole loop body, and moving the child borrows the nodes again.
        loop {
            let first = self.nodes.borrow()[*node].first_child;
            let Some(child) = first else { break };
            self.append_node(*new_parent, child);
        }
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.element_mut(*handle, |element| {
            element.mathml_annotation_xml_integration_point
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as nested names and texts, for comparing shapes.
    fn shape(dom: &Dom, root: NodeId) -> String {
        let mut out = String::new();
        dom.walk(root, |step| {
            match step {
                Step::Open(id) => match (dom.element(id), dom.text(id)) {
                    (Some(e), _) => out.push_str(&format!("<{}>", e.name())),
                    (_, Some(t)) => out.push_str(t),
                    _ => {}
                },
                Step::Close(id) => {
                    if let Some(e) = dom.element(id) {
                        out.push_str(&format!("</{}>", e.name()));
                    }
                }
            }
            true
        });
        out
    }

    fn body(dom: &Dom) -> NodeId {
        dom.elements(dom.document())
            .into_iter()
            .find(|(_, e)| e.name() == "body")
            .unwrap()
            .0
    }

    #[test]
    fn repairs_broken_markup_as_a_browser_does() {
        let cases = [
            ("<p>eins<p>zwei", "<p>eins</p><p>zwei</p>"),
            (
                "<b>fett<i>beides</b>kursiv</i>",
                "<b>fett<i>beides</i></b><i>kursiv</i>",
            ),
            (
                "<table><tr><td>a</td></tr>verirrt</table>",
                "verirrt<table><tbody><tr><td>a</td></tr></tbody></table>",
            ),
            ("<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>"),
            // A link opened inside an unclosed link with a block between them moves the
            // block's children (the adoption agency); this panicked once, found by fuzzing.
            (
                "<a>eins<div>zwei<a>drei</a></div>",
                "<a>eins</a><div><a>zwei</a><a>drei</a></div>",
            ),
            ("Text &amp; &uuml;&szlig; &#8222;x&#x201C;", "Text & üß „x“"),
        ];
        for (html, expected) in cases {
            let dom = Dom::parse(html);
            assert_eq!(shape(&dom, body(&dom)), expected, "{html}");
        }
    }

    #[test]
    fn skipped_subtrees_are_neither_entered_nor_closed() {
        let dom = Dom::parse("<div><script>x()</script><p>a</p></div><p>b</p>");
        let mut steps = Vec::new();
        dom.walk(body(&dom), |step| {
            let (kind, id) = match step {
                Step::Open(id) => ("open", id),
                Step::Close(id) => ("close", id),
            };
            let name = dom
                .element(id)
                .map(|e| e.name().to_string())
                .or_else(|| dom.text(id).map(str::to_string))
                .unwrap();
            steps.push(format!("{kind} {name}"));
            name != "script"
        });
        assert_eq!(
            steps,
            [
                "open div",
                "open script",
                "open p",
                "open a",
                "close a",
                "close p",
                "close div",
                "open p",
                "open b",
                "close b",
                "close p",
            ]
        );
    }

    #[test]
    fn walks_a_very_deep_tree_without_recursion() {
        let html = "<span>".repeat(100_000) + "tief";
        let dom = Dom::parse(&html);
        assert_eq!(dom.text_content(body(&dom)), "tief");
    }
}

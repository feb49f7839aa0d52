// Go-to-definition oracle for Java: javac's attributed trees.
//
// Usage: java JavacOracle.java REPO_ROOT OUT.jsonl   (JDK 17's source launcher)
//
// One JavacTask over every .java file of the repository except module-info.java (so
// everything is in the unnamed module), with -proc:none and -XDshould-stop.ifError=FLOW
// so attribution goes on past missing dependencies. Every identifier, member select and
// method reference inside a method, constructor, lambda or initializer body (not `this`,
// `super`, `.class`, nor an assignment target) is one site, one JSON line:
// {path, line (1-based), col (0-based bytes), name, receiver, status, target, detail},
// as bench/oracles/ts_oracle.js describes.

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParameterizedTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

public class JavacOracle {
  static Path root;
  static Trees trees;
  static SourcePositions positions;
  static PrintWriter out;
  static int count = 0;

  public static void main(String[] args) throws IOException {
    root = Paths.get(args[0]).toRealPath();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.getFileName().toString().equals("module-info.java"))
          .filter(p -> !root.relativize(p).toString().matches("(^|.*/)(\\.git|node_modules|target|build)/.*"))
          .sorted()
          .forEach(files::add);
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StandardJavaFileManager fm =
        compiler.getStandardFileManager(d -> {}, null, StandardCharsets.UTF_8);
    List<String> options =
        List.of(
            "-proc:none",
            "-XDshould-stop.ifError=FLOW",
            "-implicit:none",
            "-encoding",
            "UTF-8",
            "-nowarn",
            "-Xlint:none");
    JavacTask task =
        (JavacTask)
            compiler.getTask(
                null, fm, d -> {}, options, null, fm.getJavaFileObjectsFromPaths(files));
    Iterable<? extends CompilationUnitTree> units = task.parse();
    task.analyze();
    trees = Trees.instance(task);
    positions = trees.getSourcePositions();
    out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[1]), StandardCharsets.UTF_8));
    for (CompilationUnitTree unit : units) {
      new Scanner(unit).scan(unit, null);
    }
    out.close();
    System.err.println("javac_oracle: " + count + " sites");
  }

  static String rel(CompilationUnitTree unit) {
    return root.relativize(Paths.get(unit.getSourceFile().toUri())).toString();
  }

  static String json(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  static final class Source {
    final CompilationUnitTree unit;
    final String text;

    Source(CompilationUnitTree unit) {
      this.unit = unit;
      String t;
      try {
        t = unit.getSourceFile().getCharContent(true).toString();
      } catch (IOException e) {
        t = "";
      }
      this.text = t;
    }

    int line(long pos) {
      return (int) unit.getLineMap().getLineNumber(pos);
    }

    // javac's column numbers expand tabs; count UTF-8 bytes from the line start instead.
    int byteCol(long pos) {
      long start = unit.getLineMap().getStartPosition(line(pos));
      return text.substring((int) start, (int) pos).getBytes(StandardCharsets.UTF_8).length;
    }
  }

  static final class Scanner extends TreePathScanner<Void, Void> {
    final Source source;
    int depth = 0;

    Scanner(CompilationUnitTree unit) {
      this.source = new Source(unit);
    }

    @Override
    public Void visitMethod(MethodTree node, Void v) {
      if (node.getBody() == null) return null;
      depth++;
      scan(new TreePath(getCurrentPath(), node.getBody()), v);
      depth--;
      return null;
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree node, Void v) {
      depth++;
      scan(new TreePath(getCurrentPath(), node.getBody()), v);
      depth--;
      return null;
    }

    @Override
    public Void visitBlock(BlockTree node, Void v) {
      boolean initializer = getCurrentPath().getParentPath().getLeaf() instanceof ClassTree;
      if (initializer) depth++;
      super.visitBlock(node, v);
      if (initializer) depth--;
      return null;
    }

    @Override
    public Void visitIdentifier(IdentifierTree node, Void v) {
      String name = node.getName().toString();
      if (depth > 0 && !name.equals("this") && !name.equals("super") && !isAssigned(node)) {
        long start = positions.getStartPosition(source.unit, node);
        // Trees javac makes up (an anonymous class's constructor) have no such text.
        if (start >= 0 && source.text.startsWith(name, (int) start)) {
          site(getCurrentPath(), name, start, null);
        }
      }
      return null;
    }

    @Override
    public Void visitMemberSelect(MemberSelectTree node, Void v) {
      String name = node.getIdentifier().toString();
      if (depth > 0 && !name.equals("class") && !name.equals("this") && !name.equals("super")
          && !isAssigned(node)) {
        long end = positions.getEndPosition(source.unit, node);
        long start = nameStart(end, name);
        if (start >= 0) site(getCurrentPath(), name, start, node.getExpression());
      }
      return super.visitMemberSelect(node, v);
    }

    @Override
    public Void visitMemberReference(MemberReferenceTree node, Void v) {
      String name = node.getName().toString();
      if (depth > 0 && !name.equals("<init>")) {
        long end = positions.getEndPosition(source.unit, node);
        long start = nameStart(end, name);
        if (start >= 0) site(getCurrentPath(), name, start, node.getQualifierExpression());
      }
      return super.visitMemberReference(node, v);
    }

    long nameStart(long end, String name) {
      if (end < 0) return -1;
      long start = end - name.length();
      if (start >= 0 && source.text.startsWith(name, (int) start)) return start;
      return -1;
    }

    boolean isAssigned(Tree node) {
      Tree parent = getCurrentPath().getParentPath().getLeaf();
      return (parent instanceof AssignmentTree && ((AssignmentTree) parent).getVariable() == node)
          || (parent instanceof CompoundAssignmentTree
              && ((CompoundAssignmentTree) parent).getVariable() == node);
    }

    String receiver(ExpressionTree expr) {
      if (expr == null) return null;
      if (expr instanceof IdentifierTree) {
        String n = ((IdentifierTree) expr).getName().toString();
        if (n.equals("this") || n.equals("super")) return "self";
      }
      if (expr instanceof MemberSelectTree) {
        String n = ((MemberSelectTree) expr).getIdentifier().toString();
        if (n.equals("this") || n.equals("super")) return "self";
      }
      Element el = trees.getElement(new TreePath(getCurrentPath(), expr));
      if (el != null) {
        ElementKind k = el.getKind();
        if (k == ElementKind.PACKAGE || k.isClass() || k.isInterface()) return "static";
      }
      return "value";
    }

    void site(TreePath path, String name, long start, ExpressionTree receiverExpr) {
      String receiver =
          receiverExpr == null && !(path.getLeaf() instanceof MemberSelectTree)
              ? null
              : receiver(receiverExpr);
      String status;
      String target = "null";
      String detail = null;
      Element el = trees.getElement(path);
      if (el == null || el.asType() == null || el.asType().getKind() == TypeKind.ERROR) {
        status = "unresolved";
        detail = el == null ? "no element" : "error type";
      } else {
        ElementKind k = el.getKind();
        String kind = null;
        if (k == ElementKind.METHOD || k == ElementKind.CONSTRUCTOR) kind = "method";
        else if (k.isClass() || k.isInterface()) kind = "class";
        TreePath decl = kind == null ? null : trees.getPath(el);
        if (kind == null) {
          status = "not_definition";
          detail = k.toString().toLowerCase();
        } else if (decl == null) {
          status = "external";
          Element outer = el;
          while (outer.getEnclosingElement() != null
              && outer.getEnclosingElement().getKind() != ElementKind.PACKAGE) {
            outer = outer.getEnclosingElement();
          }
          detail = outer.toString();
        } else {
          status = "ok";
          target = target(decl, el, kind, constructorOf(path));
        }
      }
      out.println(
          "{\"path\": " + json(rel(source.unit))
              + ", \"line\": " + source.line(start)
              + ", \"col\": " + source.byteCol(start)
              + ", \"name\": " + json(name)
              + ", \"receiver\": " + json(receiver)
              + ", \"status\": " + json(status)
              + ", \"target\": " + target
              + ", \"detail\": " + json(detail) + "}");
      count++;
    }

    // The constructor `new C(...)` calls, when the site is the class name C: its lines
    // count as the class's (goto may answer either).
    TreePath constructorOf(TreePath path) {
      Tree child = path.getLeaf();
      TreePath up = path.getParentPath();
      while (up != null && up.getLeaf() instanceof ParameterizedTypeTree) {
        child = up.getLeaf();
        up = up.getParentPath();
      }
      if (up == null || !(up.getLeaf() instanceof NewClassTree)) return null;
      if (((NewClassTree) up.getLeaf()).getIdentifier() != child) return null;
      Element ctor = trees.getElement(up);
      return ctor == null ? null : trees.getPath(ctor);
    }

    String target(TreePath decl, Element el, String kind, TreePath also) {
      Set<Integer> lines = new TreeSet<>();
      int nameLine = lines(decl, el, lines);
      if (also != null && also.getCompilationUnit() == decl.getCompilationUnit()) {
        Element ctor = trees.getElement(also);
        if (ctor != null) lines(also, ctor, lines);
      }
      StringBuilder ls = new StringBuilder("[");
      for (int l : lines) ls.append(ls.length() > 1 ? ", " : "").append(l);
      ls.append("]");
      return "{\"path\": " + json(rel(decl.getCompilationUnit()))
          + ", \"line\": " + nameLine
          + ", \"lines\": " + ls
          + ", \"name\": " + json(simpleName(el))
          + ", \"kind\": " + json(kind) + "}";
    }

    static String simpleName(Element el) {
      String name = el.getSimpleName().toString();
      return name.equals("<init>") ? el.getEnclosingElement().getSimpleName().toString() : name;
    }

    // Adds the lines that count as the declaration's (its first annotation's, the first
    // after its modifiers, its name's) to `lines`; returns the name's line.
    int lines(TreePath decl, Element el, Set<Integer> lines) {
      CompilationUnitTree unit = decl.getCompilationUnit();
      Source src = unit == source.unit ? source : new Source(unit);
      Tree tree = decl.getLeaf();
      long start = positions.getStartPosition(unit, tree);
      ModifiersTree mods = null;
      if (tree instanceof MethodTree) mods = ((MethodTree) tree).getModifiers();
      else if (tree instanceof ClassTree) mods = ((ClassTree) tree).getModifiers();
      else if (tree instanceof VariableTree) mods = ((VariableTree) tree).getModifiers();
      long from = start;
      if (mods != null) {
        long modsEnd = positions.getEndPosition(unit, mods);
        if (modsEnd > from) from = modsEnd;
      }
      long namePos = start;
      Matcher m =
          Pattern.compile("\\b" + Pattern.quote(simpleName(el)) + "\\b").matcher(src.text);
      if (from >= 0 && m.find((int) from)) namePos = m.start();
      lines.add(src.line(start));
      lines.add(src.line(namePos));
      if (from > start) {
        // The first token after the modifiers (the `class` / return type line).
        int i = (int) from;
        while (i < src.text.length() && Character.isWhitespace(src.text.charAt(i))) i++;
        lines.add(src.line(i));
      }
      return src.line(namePos);
    }
  }
}

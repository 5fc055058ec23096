package dev.pyper;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.regex.Pattern;

/**
 * Reads a task's default name from its function (rule 1.7): the method reference's method, the
 * lambda's implementation method ({@code lambda$main$0}), or else the function's own
 * {@code toString()} or class name.
 */
final class FunctionNames {

    /** Serializable lambdas carry a hash in their name ({@code lambda$main$9d92f6a6$1}); it says nothing to a reader. */
    private static final Pattern SERIALIZABLE_LAMBDA_HASH = Pattern.compile("\\$[0-9a-f]{8}\\$");

    private FunctionNames() {}

    static String of(Object function) {
        Class<?> type = function.getClass();
        SerializedLambda lambda = serializedLambda(function);
        if (lambda != null) {
            String method = lambda.getImplMethodName();
            if (method.equals("<init>")) {
                String owner = lambda.getImplClass();
                return owner.substring(owner.lastIndexOf('/') + 1) + "::new";
            }
            return SERIALIZABLE_LAMBDA_HASH.matcher(method).replaceFirst("\\$");
        }
        if (overridesToString(type)) {
            return String.valueOf(function);
        }
        String simple = type.getSimpleName();
        return simple.isEmpty() ? type.getName() : simple;
    }

    /** Lambdas of serializable interfaces have a {@code writeReplace} that describes them. */
    private static SerializedLambda serializedLambda(Object function) {
        if (!function.getClass().isSynthetic() && !function.getClass().isHidden()) {
            return null;
        }
        try {
            Method writeReplace = function.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return writeReplace.invoke(function) instanceof SerializedLambda lambda ? lambda : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // a module that does not open the class: fall back to the class name
        }
    }

    private static boolean overridesToString(Class<?> type) {
        try {
            return type.getMethod("toString").getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
